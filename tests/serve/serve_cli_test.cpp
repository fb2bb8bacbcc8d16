// `banwatch serve` through the real binary, on a store crawled from a local
// site (tests/data/serve-site, whose titles and texts carry markup, crawled
// by `banwatch demo --data`): the API lists the stored events, the vendor
// page has its SVG timeline, the planted markup stays escaped, a POST is
// refused, and an address beyond loopback needs a token.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a command to completion: exit status, standard output and error.
struct Outcome {
  int code = -1;
  std::string out, err;
};

Outcome run(const fs::path& dir, const std::string& command) {
  const fs::path out = dir / "run.out", err = dir / "run.err";
  const std::string cmd = "cd '" + dir.string() + "' && env -u BANWATCH_CONFIG -u BANWATCH_DB " + command + " >'" +
                          out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
}

// `banwatch serve` in the background; the port is read from its first line.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& args) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      static std::string binary = BANWATCH_BINARY;
      argv.push_back(binary.data());
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::unsetenv("BANWATCH_CONFIG");
      ::unsetenv("BANWATCH_DB");
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    ::close(out[0]);
    first_line_ = line;
    const auto colon = line.rfind(':');
    const auto slash = line.find('/', colon == std::string::npos ? 0 : colon);
    if (colon != std::string::npos && slash != std::string::npos) {
      port_ = std::atoi(line.substr(colon + 1, slash - colon - 1).c_str());
    }
  }
  ~ServeProcess() { stop(); }
  // SIGTERM, then the exit status.
  int stop() {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }
  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
  std::string first_line_;
};

class ServeCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("banwatch-serve-cli-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    const Outcome demo = run(*dir_, std::string("'") + BANWATCH_BINARY + "' demo --data '" + BANWATCH_TEST_DATA +
                                        "/serve-site' --dir '" + dir_->string() + "'");
    ASSERT_EQ(demo.code, 0) << demo.out << demo.err;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string db() { return (*dir_ / "demo.db").string(); }

  static fs::path* dir_;
};
fs::path* ServeCli::dir_ = nullptr;

TEST_F(ServeCli, ServesTheCrawledStoreEscapedAndReadOnly) {
  ServeProcess server({"--db", db(), "serve", "--listen", "127.0.0.1:0"});
  ASSERT_GT(server.port(), 0) << server.first_line();
  EXPECT_NE(server.first_line().find("serving http://127.0.0.1:"), std::string::npos);
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);

  // /api/events lists the stored events, as `events --format json` does.
  const Outcome cli = run(*dir_, std::string("'") + BANWATCH_BINARY + "' --db '" + db() + "' events --format json");
  ASSERT_EQ(cli.code, 0) << cli.err;
  auto stored = nlohmann::json::parse(cli.out);
  ASSERT_GE(stored.size(), 3u) << "TikTok proposed and enacted, Huawei removal";
  auto api = client.Get("/api/events?limit=1000");
  ASSERT_TRUE(api);
  ASSERT_EQ(api->status, 200);
  auto served = nlohmann::json::parse(api->body);
  ASSERT_EQ(served.size(), stored.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(served[served.size() - 1 - i], stored[i]) << "the same objects, newest first";
  }

  // The vendor page has its timeline, one mark per dated event.
  auto vendor = client.Get("/vendors/TikTok");
  ASSERT_TRUE(vendor);
  ASSERT_EQ(vendor->status, 200);
  EXPECT_NE(vendor->body.find("<svg class=\"timeline\""), std::string::npos);
  std::size_t dated = 0, marks = 0;
  for (const auto& e : stored) dated += e["vendor"] == "TikTok" && !e["event_date"].is_null();
  for (std::size_t at = vendor->body.find("<circle class=\"mark"); at != std::string::npos;
       at = vendor->body.find("<circle class=\"mark", at + 1)) {
    ++marks;
  }
  EXPECT_EQ(marks, dated);
  EXPECT_NE(vendor->body.find("<line class=\"link\""), std::string::npos) << "proposal to enactment";

  // The planted markup stays text on every page.
  std::vector<std::string> pages = {"/", "/vendors/TikTok", "/feed.atom"};
  for (const auto& e : stored) pages.push_back("/events/" + std::to_string(e["id"].get<long>()));
  bool seen_planted = false;
  for (const auto& path : pages) {
    auto page = client.Get(path.c_str());
    ASSERT_TRUE(page) << path;
    ASSERT_EQ(page->status, 200) << path;
    EXPECT_EQ(page->body.find("<b id=\"planted"), std::string::npos) << path;
    EXPECT_EQ(page->body.find("<img src=\"x\""), std::string::npos) << path;
    EXPECT_EQ(page->body.find("<script"), std::string::npos) << path;
    seen_planted = seen_planted || page->body.find("&lt;b id=&quot;planted-") != std::string::npos;
  }
  EXPECT_TRUE(seen_planted) << "the planted markup is shown, as text";

  auto post = client.Post("/api/events", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(server.stop(), 0) << "SIGTERM stops it cleanly";
}

TEST_F(ServeCli, BeyondLoopbackOnlyWithAToken) {
  const Outcome refused =
      run(*dir_, std::string("'") + BANWATCH_BINARY + "' --db '" + db() + "' serve --listen 0.0.0.0:0");
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("without a token"), std::string::npos) << refused.err;
  EXPECT_TRUE(refused.out.empty()) << "it never started";

  const Outcome bad_listen =
      run(*dir_, std::string("'") + BANWATCH_BINARY + "' --db '" + db() + "' serve --listen 127.0.0.1:99999");
  EXPECT_EQ(bad_listen.code, 2);
  EXPECT_NE(bad_listen.err.find("--listen"), std::string::npos);

  const fs::path short_token = *dir_ / "short.token";
  std::ofstream(short_token) << "abc\n";
  const Outcome weak = run(*dir_, std::string("'") + BANWATCH_BINARY + "' --db '" + db() +
                                      "' serve --listen 0.0.0.0:0 --auth-token-file '" + short_token.string() + "'");
  EXPECT_EQ(weak.code, 2);
  EXPECT_NE(weak.err.find("at least 16"), std::string::npos) << weak.err;

  const fs::path token = *dir_ / "serve.token";
  std::ofstream(token) << "  s3cret-token-for-the-tests  \n";
  ServeProcess server({"--db", db(), "serve", "--listen", "0.0.0.0:0", "--auth-token-file", token.string()});
  ASSERT_GT(server.port(), 0) << server.first_line();
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);
  auto anonymous = client.Get("/api/events");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto bearer = client.Get("/api/events", {{"Authorization", "Bearer s3cret-token-for-the-tests"}});
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->status, 200);
  auto cookie = client.Get("/", {{"Cookie", "banwatch_token=s3cret-token-for-the-tests"}});
  ASSERT_TRUE(cookie);
  EXPECT_EQ(cookie->status, 200);
}

}  // namespace

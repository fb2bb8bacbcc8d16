// Delivery channels against real local servers: SMTP (a loopback server this
// test runs), webhooks (cpp-httplib), a command, files; plus the MIME,
// signature and metrics building blocks.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "transport/transport.h"
#include "digest/atomic_file.h"
#include "digest/deliver.h"
#include "digest/metrics.h"
#include "tests/digest/golden.h"
#include "tests/digest/sample.h"
#include "tests/digest/smtp_server.h"

namespace banwatch::digest {
namespace {

namespace fs = std::filesystem;
using testing::sample_digest;

// Secrets and sleeps come from here, never from the real environment.
Environment test_env(std::map<std::string, std::string> vars = {},
                     std::vector<std::chrono::milliseconds>* sleeps = nullptr) {
  Environment env;
  env.getenv = [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  env.sleep = [sleeps](std::chrono::milliseconds d) {
    if (sleeps) sleeps->push_back(d);
  };
  env.now = [] { return testing::at("2026-11-26T06:00:05Z"); };
  return env;
}

class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/banwatch-digest-XXXXXX";
    path_ = ::mkdtemp(templ);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Decodes quoted-printable (for checking what a mail reader will show).
std::string qp_decode(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=' && i + 2 < in.size() && in[i + 1] == '\r' && in[i + 2] == '\n') {
      i += 2;
    } else if (in[i] == '=' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// ---- MIME building blocks -----------------------------------------------------------

TEST(DigestMail, Spec_Rfc2047_EncodesNonAsciiSubject) {
  EXPECT_EQ(encode_header_word("banwatch digest"), "banwatch digest");
  EXPECT_EQ(encode_header_word("caf\xC3\xA9"), "=?UTF-8?B?Y2Fmw6k=?=");
  // Long text: several encoded words, each at most 75 characters, never
  // splitting a UTF-8 sequence.
  std::string longer;
  for (int i = 0; i < 40; ++i) longer += "\xC3\xA9";
  const std::string enc = encode_header_word(longer);
  std::size_t start = 0;
  int words = 0;
  while (start < enc.size()) {
    auto end = enc.find("\r\n ", start);
    if (end == std::string::npos) end = enc.size();
    const std::string word = enc.substr(start, end - start);
    EXPECT_LE(word.size(), 75u);
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?="));
    ++words;
    start = end + 3;
  }
  EXPECT_GE(words, 2);
  EXPECT_NE(encode_header_word("x =?utf-8?q?y?="), "x =?utf-8?q?y?=");  // looks encoded: encode it
}

TEST(DigestMail, Spec_Rfc2045_QuotedPrintable) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("line \nnext"), "line=20\r\nnext");
  EXPECT_EQ(quoted_printable("caf\xC3\xA9"), "caf=C3=A9");
  EXPECT_EQ(quoted_printable(".dot"), "=2Edot");
  EXPECT_EQ(quoted_printable("From me"), "=46rom me");
  const std::string long_line(200, 'x');
  const std::string qp = quoted_printable(long_line);
  for (std::size_t start = 0; start < qp.size();) {
    auto end = qp.find("\r\n", start);
    if (end == std::string::npos) end = qp.size();
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(qp_decode(qp), long_line);
}

TEST(DigestMail, BareAddress) {
  EXPECT_EQ(bare_address("Analyst <a@example.org>"), "a@example.org");
  EXPECT_EQ(bare_address("a@example.org"), "a@example.org");
  EXPECT_FALSE(bare_address("no address").has_value());
  EXPECT_FALSE(bare_address("a@b\r\nBcc: x@y").has_value());
}

TEST(DigestMail, Spec_Rfc5322_MessageHeaders) {
  MailMessage m;
  m.from = "banwatch <digest@example.org>";
  m.to = {"Ana <ana@example.org>", "bob@example.org"};
  m.subject = "banwatch digest \xE2\x80\x94 26 Nov 2026";
  m.text = "plain";
  m.html = "<p>html</p>";
  m.date = testing::at("2026-11-26T06:00:00Z");
  auto msg = build_mime_message(m);
  ASSERT_TRUE(msg.has_value()) << msg.error().message;
  EXPECT_NE(msg->find("Date: Thu, 26 Nov 2026 06:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(msg->find("From: banwatch <digest@example.org>\r\n"), std::string::npos);
  EXPECT_NE(msg->find("To: Ana <ana@example.org>, bob@example.org\r\n"), std::string::npos);
  EXPECT_NE(msg->find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(msg->find("Message-ID: <20261126060000."), std::string::npos);
  EXPECT_NE(msg->find("@example.org>\r\n"), std::string::npos);
  EXPECT_NE(msg->find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(msg->find("Content-Type: multipart/alternative; boundary=\"=_banwatch_"), std::string::npos);
  EXPECT_LT(msg->find("Content-Type: text/plain"), msg->find("Content-Type: text/html"))
      << "the preferred alternative (HTML) comes last (RFC 2046 5.1.4)";
  // Header injection through configuration is refused.
  m.subject = "x\r\nBcc: victim@example.org";
  EXPECT_FALSE(build_mime_message(m).has_value());
}

// ---- email over a real SMTP exchange ----------------------------------------------------

TEST(DigestMail, SendsMultipartDigestToSeveralRecipients) {
  testing::SmtpServer server;
  EmailConfig cfg;
  cfg.url = server.url();
  cfg.username = "digest";
  cfg.password_env = "BANWATCH_TEST_SMTP_PASSWORD";
  cfg.from = "banwatch <digest@example.org>";
  cfg.to = {"Ana <ana@example.org>", "bob@example.org"};
  cfg.subject = "Vendor bans";
  DeliveryOptions options;
  auto channel = make_email_channel(cfg, test_env({{"BANWATCH_TEST_SMTP_PASSWORD", "s3cret-pw"}}), options);
  ASSERT_TRUE(channel.has_value()) << channel.error().message;
  EXPECT_TRUE((*channel)->key().starts_with("email:"));
  EXPECT_EQ((*channel)->label().find("s3cret"), std::string::npos);

  const Digest d = sample_digest();
  auto s = (*channel)->deliver(d);
  ASSERT_TRUE(s.has_value()) << s.error().message;

  const auto txs = server.transactions();
  ASSERT_EQ(txs.size(), 1u);
  const auto& t = txs[0];
  EXPECT_TRUE(t.mail_from.starts_with("<digest@example.org>")) << t.mail_from;  // may carry SIZE=
  ASSERT_EQ(t.rcpt_to.size(), 2u);
  EXPECT_EQ(t.rcpt_to[0], "<ana@example.org>");
  EXPECT_EQ(t.rcpt_to[1], "<bob@example.org>");
  EXPECT_EQ(t.auth_plain, std::string("\0digest\0s3cret-pw", 17));  // RFC 4616: authzid NUL authcid NUL passwd
  const std::string& data = t.data;
  EXPECT_NE(data.find("Subject: =?UTF-8?B?"), std::string::npos) << "the em dash makes the subject non-ASCII";
  EXPECT_NE(data.find("MIME-Version: 1.0"), std::string::npos);
  EXPECT_NE(data.find("Date: Thu, 26 Nov 2026 06:00:05 +0000"), std::string::npos);
  EXPECT_NE(data.find("To: Ana <ana@example.org>, bob@example.org"), std::string::npos);
  const std::string decoded = qp_decode(data);
  EXPECT_NE(decoded.find("Ruritania's parliament on Tuesday passed a law"), std::string::npos);  // text part
  EXPECT_NE(decoded.find("<!DOCTYPE html>"), std::string::npos);                                 // HTML part
  EXPECT_NE(decoded.find("proposed \xE2\x86\x92 enacted"), std::string::npos);
}

TEST(DigestMail, RefusedRecipientIsAChannelErrorWithoutSecrets) {
  testing::SmtpServer server;
  server.reject_recipient("nobody@example.org");
  EmailConfig cfg;
  cfg.url = "smtp://digest:url-pw@127.0.0.1:" + std::to_string(server.port());
  cfg.from = "digest@example.org";
  cfg.to = {"nobody@example.org"};
  auto channel = make_email_channel(cfg, test_env(), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value());
  auto s = (*channel)->deliver(sample_digest());
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message.find("email"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("550"), std::string::npos) << s.error().message;
  EXPECT_EQ(s.error().message.find("url-pw"), std::string::npos) << s.error().message;
  EXPECT_TRUE(server.transactions().empty());
}

TEST(DigestMail, RequiredStarttlsMissingOnTheServerIsRefusedNotSentInClear) {
  testing::SmtpServer server;  // does not advertise STARTTLS
  EmailConfig cfg;
  cfg.url = server.url();
  cfg.starttls = true;
  cfg.from = "digest@example.org";
  cfg.to = {"ana@example.org"};
  auto channel = make_email_channel(cfg, test_env(), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value());
  auto s = (*channel)->deliver(sample_digest());
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message.find("STARTTLS"), std::string::npos) << s.error().message;
  EXPECT_TRUE(server.transactions().empty()) << "nothing may be sent without TLS";
}

TEST(DigestMail, ConnectionRefusedIsRetriedThenNamed) {
  int port = 0;
  {
    testing::SmtpServer server;  // a port that was just free
    port = server.port();
  }
  EmailConfig cfg;
  cfg.url = "smtp://127.0.0.1:" + std::to_string(port);
  cfg.from = "digest@example.org";
  cfg.to = {"ana@example.org"};
  std::vector<std::chrono::milliseconds> sleeps;
  auto channel = make_email_channel(cfg, test_env({}, &sleeps), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value());
  auto s = (*channel)->deliver(sample_digest());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kNetwork);
  EXPECT_NE(s.error().message.find("smtp://127.0.0.1:" + std::to_string(port)), std::string::npos) << s.error().message;
  EXPECT_EQ(sleeps.size(), 2u);
}

TEST(DigestMail, MissingPasswordIsAConfigErrorNamingTheVariable) {
  EmailConfig cfg;
  cfg.url = "smtps://mail.example.org:465";
  cfg.username = "digest";
  cfg.password_env = "BANWATCH_NO_SUCH_VARIABLE";
  cfg.from = "digest@example.org";
  cfg.to = {"ana@example.org"};
  auto channel = make_email_channel(cfg, test_env(), DeliveryOptions{});
  ASSERT_FALSE(channel.has_value());
  EXPECT_EQ(channel.error().code, ErrorCode::kConfig);
  EXPECT_NE(channel.error().message.find("BANWATCH_NO_SUCH_VARIABLE"), std::string::npos);
}

TEST(DigestSecrets, FromFileTrimmedAndNeverInErrors) {
  TempDir dir;
  const std::string path = dir.path() + "/hook.key";
  ASSERT_TRUE(write_file_atomic(path, "file-secret\n").has_value());
  Environment env = test_env();
  env.base_dir = dir.path();
  auto s = resolve_secret("", "hook.key", env, "webhook");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, "file-secret");
  auto missing = resolve_secret("", "absent.key", env, "webhook");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("absent.key"), std::string::npos);
  // The variable wins over the file.
  auto from_env = resolve_secret("HOOK_KEY", "hook.key", test_env({{"HOOK_KEY", "env-secret"}}), "webhook");
  ASSERT_TRUE(from_env.has_value());
  EXPECT_EQ(*from_env, "env-secret");
}

// ---- webhooks against a loopback HTTP server ---------------------------------------------

class HookServer {
 public:
  explicit HookServer(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      bodies_.push_back(req.body);
      signatures_.push_back(req.get_header_value(std::string(kSignatureHeader)));
      content_types_.push_back(req.get_header_value("Content-Type"));
      const std::size_t i = bodies_.size() - 1;
      res.status = i < statuses_.size() ? statuses_[i] : 200;
      if (res.status == 429) res.set_header("Retry-After", "3");
      res.set_content(res.status < 300 ? "ok" : "try\nlater", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~HookServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  std::vector<std::string> signatures() {
    std::lock_guard lock(mu_);
    return signatures_;
  }
  std::vector<std::string> content_types() {
    std::lock_guard lock(mu_);
    return content_types_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::vector<int> statuses_;
  std::mutex mu_;
  std::vector<std::string> bodies_, signatures_, content_types_;
};

TEST(DigestWebhook, PostsJsonWithHmacSignature) {
  HookServer server({});
  WebhookConfig cfg;
  cfg.url = server.url();
  cfg.secret_env = "HOOK_SECRET";
  auto channel = make_webhook_channel(cfg, test_env({{"HOOK_SECRET", "k3y"}}), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value()) << channel.error().message;
  const Digest d = sample_digest();
  ASSERT_TRUE((*channel)->deliver(d).has_value());
  const auto bodies = server.bodies();
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0], render_json(d));
  EXPECT_EQ(server.content_types()[0], "application/json");
  // The receiver recomputes the HMAC over the raw body with the shared key.
  EXPECT_EQ(server.signatures()[0], "sha256=" + hmac_sha256_hex("k3y", bodies[0]));
  const auto j = nlohmann::json::parse(bodies[0]);
  EXPECT_EQ(j["event_count"], 3);
}

TEST(DigestWebhook, Spec_Rfc4231_HmacSha256TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(DigestWebhook, SlackStyleAndNoSignatureWithoutSecret) {
  HookServer server({});
  WebhookConfig cfg;
  cfg.url = server.url();
  cfg.style = "slack";
  auto channel = make_webhook_channel(cfg, test_env(), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value());
  ASSERT_TRUE((*channel)->deliver(sample_digest()).has_value());
  const auto j = nlohmann::json::parse(server.bodies().at(0));
  EXPECT_TRUE(j.contains("text"));
  EXPECT_EQ(server.signatures().at(0), "");
}

TEST(DigestWebhook, RetriesServerErrorsWithBackoff) {
  HookServer server({500, 429, 200});
  WebhookConfig cfg;
  cfg.url = server.url();
  cfg.retries = 3;
  std::vector<std::chrono::milliseconds> sleeps;
  DeliveryOptions options;
  options.backoff = std::chrono::milliseconds(100);
  auto channel = make_webhook_channel(cfg, test_env({}, &sleeps), options);
  ASSERT_TRUE(channel.has_value());
  auto s = (*channel)->deliver(sample_digest());
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(server.bodies().size(), 3u);
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_EQ(sleeps[0], std::chrono::milliseconds(100));
  EXPECT_EQ(sleeps[1], std::chrono::milliseconds(3000)) << "Retry-After: 3 is honoured";
}

TEST(DigestWebhook, Non2xxIsAFailureAndClientErrorsAreNotRetried) {
  HookServer server({404});
  WebhookConfig cfg;
  cfg.url = server.url() + "?token=hidden-token";
  std::vector<std::chrono::milliseconds> sleeps;
  auto channel = make_webhook_channel(cfg, test_env({}, &sleeps), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value());
  auto s = (*channel)->deliver(sample_digest());
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kHttp);
  EXPECT_NE(s.error().message.find("HTTP 404"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("webhook"), std::string::npos);
  EXPECT_EQ(s.error().message.find("hidden-token"), std::string::npos) << s.error().message;
  EXPECT_EQ(server.bodies().size(), 1u);
  EXPECT_TRUE(sleeps.empty());
}

TEST(DigestWebhook, GivesUpAfterConfiguredRetries) {
  HookServer server({503, 503, 503, 503, 503});
  WebhookConfig cfg;
  cfg.url = server.url();
  cfg.retries = 2;
  auto channel = make_webhook_channel(cfg, test_env(), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value());
  auto s = (*channel)->deliver(sample_digest());
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message.find("(after 3 attempts)"), std::string::npos) << s.error().message;
  EXPECT_EQ(server.bodies().size(), 3u);
}

TEST(DigestWebhook, BadConfigurationIsRefusedUpFront) {
  WebhookConfig cfg;
  cfg.url = "ftp://example.org/hook";
  EXPECT_FALSE(make_webhook_channel(cfg, test_env(), DeliveryOptions{}).has_value());
  cfg.url = "https://example.org/hook";
  cfg.style = "carrier-pigeon";
  EXPECT_FALSE(make_webhook_channel(cfg, test_env(), DeliveryOptions{}).has_value());
}

// ---- command -----------------------------------------------------------------------

TEST(DigestCommand, DigestOnStandardInput) {
  TempDir dir;
  const std::string out = dir.path() + "/received.md";
  CommandConfig cfg;
  cfg.argv = {"/bin/sh", "-c", "cat > \"$0\"", out};
  auto channel = make_command_channel(cfg, Format::kMarkdown, test_env(), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value());
  ASSERT_TRUE((*channel)->deliver(sample_digest()).has_value());
  EXPECT_EQ(testing::read_file(out), render_markdown(sample_digest()));
}

TEST(DigestCommand, NonZeroExitIsAFailure) {
  CommandConfig cfg;
  cfg.argv = {"/bin/sh", "-c", "cat >/dev/null; exit 3"};
  auto channel = make_command_channel(cfg, Format::kText, test_env(), DeliveryOptions{});
  ASSERT_TRUE(channel.has_value());
  auto s = (*channel)->deliver(sample_digest());
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message.find("exited with status 3"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("command /bin/sh"), std::string::npos);
}

TEST(DigestCommand, ReaderThatQuitsEarlyIsAFailureNotACrash) {
  std::string big(4u << 20, 'x');
  auto s = run_command({"/bin/sh", "-c", "exit 0"}, big, std::chrono::seconds(10));
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message.find("closed its standard input"), std::string::npos) << s.error().message;
}

TEST(DigestCommand, MissingProgramAndTimeout) {
  auto missing = run_command({"/nonexistent/banwatch-notify"}, "x", std::chrono::seconds(5));
  ASSERT_FALSE(missing.has_value());
  auto slow = run_command({"/bin/sleep", "30"}, "", std::chrono::milliseconds(200));
  ASSERT_FALSE(slow.has_value());
  EXPECT_NE(slow.error().message.find("terminated"), std::string::npos) << slow.error().message;
}

// ---- files ---------------------------------------------------------------------------

TEST(DigestFiles, AtomicWriteReplacesAndLeavesNoTemporaries) {
  TempDir dir;
  const std::string path = dir.path() + "/digest.md";
  ASSERT_TRUE(write_file_atomic(path, "one").has_value());
  ASSERT_TRUE(write_file_atomic(path, "two").has_value());
  EXPECT_EQ(testing::read_file(path), "two");
  auto kept = write_file_atomic(path, "three", Existing::kKeep);
  ASSERT_FALSE(kept.has_value());
  EXPECT_EQ(kept.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(testing::read_file(path), "two");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_TRUE(st.st_mode & S_IRUSR);
  auto bad = write_file_atomic(dir.path() + "/missing-dir/x.md", "x");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kIo);
  EXPECT_NE(bad.error().message.find("missing-dir"), std::string::npos);
}

TEST(DigestFiles, DirectoryGetsDatedFilesWithoutClobbering) {
  TempDir dir;
  auto channel = make_file_channel(dir.path() + "/", true, Format::kMarkdown, DeliveryOptions{});
  const Digest d = sample_digest();
  ASSERT_TRUE(channel->deliver(d).has_value());
  ASSERT_TRUE(channel->deliver(d).has_value());
  EXPECT_TRUE(fs::exists(dir.path() + "/2026-11-26.md"));
  EXPECT_TRUE(fs::exists(dir.path() + "/2026-11-26-2.md"));
  EXPECT_EQ(testing::read_file(dir.path() + "/2026-11-26.md"), render_markdown(d));

  auto replacing = make_file_channel(dir.path(), true, Format::kHtml, DeliveryOptions{}, true);
  ASSERT_TRUE(replacing->deliver(d).has_value());
  ASSERT_TRUE(replacing->deliver(d).has_value());
  EXPECT_TRUE(fs::exists(dir.path() + "/2026-11-26.html"));
  EXPECT_FALSE(fs::exists(dir.path() + "/2026-11-26-2.html"));
}

// ---- metrics -------------------------------------------------------------------------

TEST(DigestMetrics, Spec_PrometheusTextFormat) {
  std::vector<Metric> m = {
      {"banwatch_crawl_fetches", "Fetches by outcome.", "gauge", {{"outcome", "ok"}}, 12},
      {"banwatch_crawl_duration_seconds", "Run time.", "gauge", {}, 1.5},
      {"banwatch_crawl_fetches", "", "gauge", {{"outcome", "failed \"x\"\n"}}, 2},
  };
  auto text = format_prometheus(m);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text,
            "# HELP banwatch_crawl_fetches Fetches by outcome.\n"
            "# TYPE banwatch_crawl_fetches gauge\n"
            "banwatch_crawl_fetches{outcome=\"ok\"} 12\n"
            "banwatch_crawl_fetches{outcome=\"failed \\\"x\\\"\\n\"} 2\n"
            "# HELP banwatch_crawl_duration_seconds Run time.\n"
            "# TYPE banwatch_crawl_duration_seconds gauge\n"
            "banwatch_crawl_duration_seconds 1.5\n");
  EXPECT_FALSE(format_prometheus({{"bad-name", "", "gauge", {}, 1}}).has_value());
  EXPECT_FALSE(format_prometheus({{"ok_name", "", "gauge", {{"__reserved", "x"}}, 1}}).has_value());
  TempDir dir;
  const std::string path = dir.path() + "/banwatch.prom";
  ASSERT_TRUE(write_prometheus_textfile(path, m).has_value());
  EXPECT_EQ(testing::read_file(path), *text);
}

TEST(DigestTransport, RedactUrl) {
  EXPECT_EQ(transport::redact_url("smtps://user:pw@Mail.Example.org:465/x?y"), "smtps://Mail.Example.org:465");
  EXPECT_EQ(transport::redact_url("https://hooks.example.com/services/T0/B0/secret"), "https://hooks.example.com");
  EXPECT_EQ(transport::redact_url("nonsense"), "(unparseable URL)");
}

}  // namespace
}  // namespace banwatch::digest

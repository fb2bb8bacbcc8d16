#include "digest/deliver.h"

#include <date/date.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/text.h"
#include "digest/atomic_file.h"
#include "transport/transport.h"

extern char** environ;

namespace banwatch::digest {

// ---- environment and secrets ------------------------------------------------------

Environment system_environment() {
  Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  env.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  env.now = [] { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); };
  return env;
}

namespace {

Environment complete(Environment env) {
  const Environment sys = system_environment();
  if (!env.getenv) env.getenv = sys.getenv;
  if (!env.sleep) env.sleep = sys.sleep;
  if (!env.now) env.now = sys.now;
  return env;
}

std::string short_hash(std::string_view data) { return sha256_hex(data).substr(0, 12); }

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    // Unique enough for a boundary or Message-ID if the RNG is unavailable.
    const auto t = std::chrono::steady_clock::now().time_since_epoch().count();
    return sha256_hex(fmt::format("{}-{}", t, ::getpid())).substr(0, bytes * 2);
  }
  return hex_lower(std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
}

bool has_line_break(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

}  // namespace

Result<std::string> resolve_secret(const std::string& env_name, const std::string& file, const Environment& env_in,
                                   std::string_view what) {
  const Environment env = complete(env_in);
  if (!env_name.empty()) {
    if (auto v = env.getenv(env_name); v && !v->empty()) return *v;
    if (file.empty())
      return fail(ErrorCode::kConfig, fmt::format("{}: environment variable {} is not set", what, env_name));
  }
  if (!file.empty()) {
    std::string path = file;
    if (!path.starts_with('/') && !env.base_dir.empty()) path = env.base_dir + "/" + path;
    auto content = read_small_file(path, 64 * 1024);
    if (!content)
      return fail(ErrorCode::kConfig, fmt::format("{}: cannot read secret file {}: {}", what, path,
                                                  std::string(to_string(content.error().code))));
    std::string s = std::move(*content);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (s.empty()) return fail(ErrorCode::kConfig, fmt::format("{}: secret file {} is empty", what, path));
    return s;
  }
  return std::string();
}

// ---- mail parts -----------------------------------------------------------------

std::optional<std::string> bare_address(std::string_view mailbox) {
  std::string_view addr = mailbox;
  if (const auto open = mailbox.rfind('<'); open != std::string_view::npos) {
    const auto close = mailbox.find('>', open);
    if (close == std::string_view::npos) return std::nullopt;
    addr = mailbox.substr(open + 1, close - open - 1);
  }
  while (!addr.empty() && addr.front() == ' ') addr.remove_prefix(1);
  while (!addr.empty() && addr.back() == ' ') addr.remove_suffix(1);
  const auto at = addr.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == addr.size()) return std::nullopt;
  for (char c : addr)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',') return std::nullopt;
  return std::string(addr);
}

std::string encode_header_word(std::string_view text) {
  bool plain = true;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || u < 0x20 || u == 0x7F) plain = false;
  }
  // "=?" would be read as the start of an encoded word: encode that too.
  if (plain && text.find("=?") == std::string_view::npos) return std::string(text);

  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto b64 = [](std::string_view in) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
      const std::uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                              static_cast<unsigned char>(in[i + 2]);
      out += kB64[(v >> 18) & 63];
      out += kB64[(v >> 12) & 63];
      out += kB64[(v >> 6) & 63];
      out += kB64[v & 63];
    }
    if (i + 1 == in.size()) {
      const std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
      out += kB64[(v >> 18) & 63];
      out += kB64[(v >> 12) & 63];
      out += "==";
    } else if (i + 2 == in.size()) {
      const std::uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
      out += kB64[(v >> 18) & 63];
      out += kB64[(v >> 12) & 63];
      out += kB64[(v >> 6) & 63];
      out += '=';
    }
    return out;
  };
  const std::string clean = sanitize_utf8(text);
  // 75 - len("=?UTF-8?B?") - len("?=") = 63 base64 characters = 45 bytes;
  // chunks end on a character boundary so each word decodes on its own.
  constexpr std::size_t kChunk = 45;
  std::string out;
  std::size_t pos = 0;
  while (pos < clean.size()) {
    std::size_t end = std::min(clean.size(), pos + kChunk);
    while (end < clean.size() && end > pos && (static_cast<unsigned char>(clean[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + b64(std::string_view(clean).substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t col = 0;
  auto put = [&](std::string_view token) {
    if (col + token.size() > 75) {  // 75 + "=" soft break = 76
      out += "=\r\n";
      col = 0;
    }
    out += token;
    col += token.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r') continue;  // line ends are normalized to CRLF below
    if (c == '\n') {
      // Trailing whitespace before a hard break would be lost in transit.
      if (!out.empty() && (out.back() == ' ' || out.back() == '\t')) {
        const char ws = out.back();
        out.pop_back();
        --col;
        put(fmt::format("={:02X}", static_cast<unsigned char>(ws)));
      }
      out += "\r\n";
      col = 0;
      continue;
    }
    // A leading "." is encoded so no relay's dot-stuffing can touch it, and
    // "From " so mbox tools do not mangle it.
    const bool line_start = col == 0;
    if ((c >= 33 && c <= 126 && c != '=' && !(line_start && c == '.')) || c == ' ' || c == '\t') {
      if (line_start && c == 'F' && text.substr(i, 5) == "From ") {
        put("=46");
        continue;
      }
      put(std::string(1, static_cast<char>(c)));
    } else {
      put(fmt::format("={:02X}", c));
    }
  }
  if (!out.empty() && (out.back() == ' ' || out.back() == '\t')) {
    const char ws = out.back();
    out.pop_back();
    --col;
    put(fmt::format("={:02X}", static_cast<unsigned char>(ws)));
  }
  return out;
}

std::string rfc5322_date(Timestamp t) { return date::format("%a, %d %b %Y %H:%M:%S +0000", t); }

Result<std::string> build_mime_message(const MailMessage& m) {
  auto from_addr = bare_address(m.from);
  if (!from_addr) return fail(ErrorCode::kInvalidArgument, "email: no address in From '" + m.from + "'");
  if (m.to.empty()) return fail(ErrorCode::kInvalidArgument, "email: no recipient");
  for (const auto& h : {m.from, m.subject, m.message_id})
    if (has_line_break(h)) return fail(ErrorCode::kInvalidArgument, "email: a header value contains a line break");
  for (const auto& to : m.to) {
    if (has_line_break(to) || !bare_address(to))
      return fail(ErrorCode::kInvalidArgument, "email: no address in recipient '" + to + "'");
  }
  const std::string domain = from_addr->substr(from_addr->find('@') + 1);
  const std::string message_id =
      m.message_id.empty() ? fmt::format("<{}.{}@{}>", date::format("%Y%m%d%H%M%S", m.date), random_hex(8), domain)
                           : m.message_id;
  const std::string boundary = "=_banwatch_" + random_hex(12);  // "=_" never occurs in QP output

  // Display names may be UTF-8: encode the name, keep the address readable.
  auto mailbox = [](const std::string& box) {
    const auto open = box.rfind('<');
    if (open == std::string::npos) return box;
    std::string name = box.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (name.empty()) return box.substr(open);
    return encode_header_word(name) + " " + box.substr(open);
  };
  std::string to_line = "To: ";
  std::size_t col = to_line.size();
  for (std::size_t i = 0; i < m.to.size(); ++i) {
    const std::string box = mailbox(m.to[i]);
    if (i > 0) {
      to_line += ",";
      if (col + box.size() + 2 > 78) {
        to_line += "\r\n";
        col = 0;
      }
      to_line += " ";
      col += 2;
    }
    to_line += box;
    col += box.size();
  }

  std::string o;
  o += "Date: " + rfc5322_date(m.date) + "\r\n";
  o += "From: " + mailbox(m.from) + "\r\n";
  o += to_line + "\r\n";
  o += "Subject: " + encode_header_word(m.subject) + "\r\n";
  o += "Message-ID: " + message_id + "\r\n";
  o += "MIME-Version: 1.0\r\n";
  o += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation replies
  o += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  o += "\r\n";
  o += "This is a multi-part message in MIME format.\r\n";
  o += "\r\n--" + boundary + "\r\n";
  o += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  o += quoted_printable(m.text) + "\r\n";
  o += "\r\n--" + boundary + "\r\n";
  o += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  o += quoted_printable(m.html) + "\r\n";
  o += "\r\n--" + boundary + "--\r\n";
  return o;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view body) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), md, &len);
  return hex_lower(std::string_view(reinterpret_cast<const char*>(md), len));
}

// ---- command ----------------------------------------------------------------------

namespace {

// SIGPIPE is blocked on this thread while writing so a reader that quits
// early gives EPIPE instead of killing banwatch; a pending one is consumed.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec zero{0, 0};
        sigtimedwait(&set_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t set_{}, old_{};
  bool was_pending_ = false;
};

std::string describe_argv0(const std::vector<std::string>& argv) { return argv.empty() ? "(empty)" : argv[0]; }

}  // namespace

Status run_command(const std::vector<std::string>& argv, std::string_view input, std::chrono::milliseconds timeout) {
  const std::string where = "command " + describe_argv0(argv);
  if (argv.empty() || argv[0].empty()) return fail(ErrorCode::kConfig, "command: empty argv");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fail(ErrorCode::kIo, where + ": pipe: " + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[0]);
  if (rc != 0) {
    ::close(fds[1]);
    return fail(ErrorCode::kIo, where + ": cannot start: " + std::strerror(rc));
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto remaining_ms = [&] {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, left.count()));
  };
  std::optional<std::string> write_error;
  {
    SigpipeGuard guard;
    ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    std::size_t done = 0;
    while (done < input.size()) {
      pollfd p{fds[1], POLLOUT, 0};
      const int ready = ::poll(&p, 1, remaining_ms());
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) {
        write_error = "timed out writing its standard input";
        break;
      }
      const ssize_t n = ::write(fds[1], input.data() + done, input.size() - done);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        write_error = errno == EPIPE ? fmt::format("closed its standard input after {} of {} bytes", done, input.size())
                                     : std::string("write: ") + std::strerror(errno);
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  }

  int status = 0;
  bool timed_out = false;
  for (;;) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return fail(ErrorCode::kIo, where + ": waitpid: " + std::strerror(errno));
    if (remaining_ms() == 0 && !timed_out) {
      timed_out = true;
      ::kill(pid, SIGTERM);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      if (::waitpid(pid, &status, WNOHANG) == pid) break;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (timed_out)
    return fail(ErrorCode::kNetwork,
                fmt::format("{}: still running after {}, terminated", where, format_duration(timeout)));
  if (WIFSIGNALED(status)) return fail(ErrorCode::kIo, fmt::format("{}: killed by signal {}", where, WTERMSIG(status)));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    return fail(ErrorCode::kIo, fmt::format("{}: exited with status {}", where, WEXITSTATUS(status)));
  if (write_error) return fail(ErrorCode::kIo, where + ": " + *write_error);
  return {};
}

// ---- channels ---------------------------------------------------------------------

namespace {

// Retries transient failures with exponential backoff: `attempt` returns
// nullopt on success, else the error and whether it is worth retrying.
struct AttemptFailure {
  Error error;
  bool transient = false;
  std::optional<std::chrono::milliseconds> retry_after;
};

Status with_retries(int retries, const DeliveryOptions& options, const Environment& env,
                    const std::function<std::optional<AttemptFailure>()>& attempt) {
  std::chrono::milliseconds delay = options.backoff;
  for (int i = 0;; ++i) {
    auto failure = attempt();
    if (!failure) return {};
    if (!failure->transient || i >= retries) {
      if (i > 0) {
        Error e = failure->error;
        e.message += fmt::format(" (after {} attempts)", i + 1);
        return std::unexpected(e);
      }
      return std::unexpected(failure->error);
    }
    auto wait = delay;
    if (failure->retry_after) wait = std::max(wait, *failure->retry_after);
    env.sleep(std::min(wait, options.max_backoff));
    delay = std::min(delay * 2, options.max_backoff);
  }
}

std::string dated_name(Timestamp t, int n, Format format) {
  const std::string day = date::format("%Y-%m-%d", t);
  if (n <= 1) return fmt::format("{}.{}", day, file_extension(format));
  return fmt::format("{}-{}.{}", day, n, file_extension(format));
}

class StdoutChannel final : public Channel {
 public:
  StdoutChannel(Format format, DeliveryOptions options, std::FILE* out)
      : format_(format), options_(std::move(options)), out_(out) {}
  std::string key() const override { return "stdout"; }
  std::string label() const override { return "standard output"; }
  bool wants_empty() const override { return true; }
  Status deliver(const Digest& digest) override {
    const std::string text = render(digest, format_, options_.render);
    if (std::fwrite(text.data(), 1, text.size(), out_) != text.size() || std::fflush(out_) != 0)
      return fail(ErrorCode::kIo, "standard output: write failed");
    return {};
  }

 private:
  Format format_;
  DeliveryOptions options_;
  std::FILE* out_;
};

class FileChannel final : public Channel {
 public:
  FileChannel(std::string path, bool dir, Format format, DeliveryOptions options, bool replace_dated)
      : path_(std::move(path)), dir_(dir), format_(format), options_(std::move(options)), replace_(replace_dated) {}
  std::string key() const override { return std::string(dir_ ? "dir:" : "file:") + path_; }
  std::string label() const override { return (dir_ ? "directory " : "file ") + path_; }
  bool wants_empty() const override { return true; }
  Status deliver(const Digest& digest) override {
    const std::string text = render(digest, format_, options_.render);
    if (!dir_) return write_file_atomic(path_, text);
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return fail(ErrorCode::kIo, "directory " + path_ + ": not a directory");
    for (int n = 1; n < 1000; ++n) {
      const std::string target = path_ + "/" + dated_name(digest.generated_at, n, format_);
      auto s = write_file_atomic(target, text, replace_ ? Existing::kReplace : Existing::kKeep);
      if (s) {
        written_ = target;
        return {};
      }
      if (s.error().code != ErrorCode::kAlreadyExists) return s;
    }
    return fail(ErrorCode::kIo, "directory " + path_ + ": too many briefs today");
  }

 private:
  std::string path_;
  bool dir_;
  Format format_;
  DeliveryOptions options_;
  bool replace_;
  std::string written_;
};

class EmailChannel final : public Channel {
 public:
  EmailChannel(EmailConfig config, transport::MailRequest request, Environment env, DeliveryOptions options)
      : config_(std::move(config)), request_(std::move(request)), env_(std::move(env)), options_(std::move(options)) {}
  std::string key() const override {
    std::string id = request_.url + "\n" + config_.from;
    for (const auto& to : config_.to) id += "\n" + to;
    return "email:" + short_hash(id);
  }
  std::string label() const override {
    return fmt::format("email to {} via {}",
                       config_.to.size() == 1 ? config_.to.front() : fmt::format("{} recipients", config_.to.size()),
                       transport::redact_url(request_.url));
  }
  bool wants_empty() const override { return options_.send_empty; }
  Status deliver(const Digest& digest) override {
    MailMessage m;
    m.from = config_.from;
    m.to = config_.to;
    m.date = env_.now();
    m.subject = fmt::format("{} — {}", config_.subject, date::format("%d %b %Y", digest.generated_at));
    if (const int n = digest.event_count(); n > 0) m.subject += fmt::format(": {} event{}", n, n == 1 ? "" : "s");
    m.text = render_text(digest);
    m.html = render_html(digest);
    auto message = build_mime_message(m);
    if (!message) return std::unexpected(message.error().with_context(label()));
    transport::MailRequest r = request_;
    r.message = std::move(*message);
    return with_retries(2, options_, env_, [&]() -> std::optional<AttemptFailure> {
      auto s = transport::send_mail(r);
      if (s) return std::nullopt;
      return AttemptFailure{s.error().with_context(label()), s.error().code == ErrorCode::kNetwork, std::nullopt};
    });
  }

 private:
  EmailConfig config_;
  transport::MailRequest request_;
  Environment env_;
  DeliveryOptions options_;
};

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(WebhookConfig config, std::string secret, Environment env, DeliveryOptions options)
      : config_(std::move(config)), secret_(std::move(secret)), env_(std::move(env)), options_(std::move(options)) {}
  std::string key() const override { return "webhook:" + short_hash(config_.url + "\n" + config_.style); }
  std::string label() const override {
    return fmt::format("webhook ({}) {}", config_.style, transport::redact_url(config_.url));
  }
  bool wants_empty() const override { return options_.send_empty; }
  Status deliver(const Digest& digest) override {
    transport::HttpRequest r;
    r.url = config_.url;
    if (config_.style == "slack" || config_.style == "mattermost")
      r.body = render_slack_message(digest);
    else if (config_.style == "teams")
      r.body = render_teams_message(digest);
    else
      r.body = render_json(digest);
    r.headers.emplace_back("Content-Type", "application/json");
    if (!secret_.empty())
      r.headers.emplace_back(std::string(kSignatureHeader), "sha256=" + hmac_sha256_hex(secret_, r.body));
    r.timeout = options_.timeout;
    r.user_agent = options_.user_agent;
    return with_retries(std::max(0, config_.retries), options_, env_, [&]() -> std::optional<AttemptFailure> {
      auto resp = transport::post_http(r);
      if (!resp)
        return AttemptFailure{resp.error().with_context(label()), resp.error().code == ErrorCode::kNetwork,
                              std::nullopt};
      const int s = resp->status;
      if (s >= 200 && s < 300) return std::nullopt;
      std::string body = resp->body.substr(0, 200);
      for (char& c : body)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
      AttemptFailure f{
          Error(ErrorCode::kHttp, fmt::format("{}: HTTP {}{}", label(), s, body.empty() ? "" : ": " + body)),
          s == 408 || s == 425 || s == 429 || s >= 500, std::nullopt};
      int seconds = 0;
      if (!resp->retry_after.empty() &&
          std::all_of(resp->retry_after.begin(), resp->retry_after.end(),
                      [](char c) { return c >= '0' && c <= '9'; }) &&
          resp->retry_after.size() < 6) {
        seconds = std::stoi(resp->retry_after);
        f.retry_after = std::chrono::seconds(seconds);
      }
      return f;
    });
  }

 private:
  WebhookConfig config_;
  std::string secret_;
  Environment env_;
  DeliveryOptions options_;
};

class CommandChannel final : public Channel {
 public:
  CommandChannel(CommandConfig config, Format format, DeliveryOptions options)
      : config_(std::move(config)), format_(format), options_(std::move(options)) {}
  std::string key() const override {
    std::string id;
    for (const auto& a : config_.argv) id += a + '\0';
    return "command:" + short_hash(id);
  }
  std::string label() const override { return "command " + config_.argv.front(); }
  bool wants_empty() const override { return options_.send_empty; }
  Status deliver(const Digest& digest) override {
    return run_command(config_.argv, render(digest, format_, options_.render), options_.timeout * 10);
  }

 private:
  CommandConfig config_;
  Format format_;
  DeliveryOptions options_;
};

}  // namespace

std::unique_ptr<Channel> make_stdout_channel(Format format, const DeliveryOptions& options, std::FILE* out) {
  return std::make_unique<StdoutChannel>(format, options, out);
}

std::unique_ptr<Channel> make_file_channel(const std::string& path, bool as_directory, Format format,
                                           const DeliveryOptions& options, bool replace_dated) {
  std::string p = path;
  while (as_directory && p.size() > 1 && p.back() == '/') p.pop_back();
  return std::make_unique<FileChannel>(p, as_directory, format, options, replace_dated);
}

Result<std::unique_ptr<Channel>> make_email_channel(const EmailConfig& config, const Environment& env_in,
                                                    const DeliveryOptions& options) {
  const Environment env = complete(env_in);
  const std::string what = "email via " + transport::redact_url(config.url);
  if (config.url.empty())
    return fail(ErrorCode::kConfig, "email: url is required (smtp://host:587 or smtps://host:465)");
  if (!config.url.starts_with("smtp://") && !config.url.starts_with("smtps://"))
    return fail(ErrorCode::kConfig, what + ": url must start with smtp:// or smtps://");
  if (config.to.empty()) return fail(ErrorCode::kConfig, what + ": no recipient (to)");
  transport::MailRequest r;
  r.url = config.url;
  r.require_starttls = config.starttls;
  auto from = bare_address(config.from);
  if (!from) return fail(ErrorCode::kConfig, what + ": from has no address: '" + config.from + "'");
  r.envelope_from = *from;
  for (const auto& to : config.to) {
    auto a = bare_address(to);
    if (!a) return fail(ErrorCode::kConfig, what + ": recipient has no address: '" + to + "'");
    r.envelope_to.push_back(*a);
  }
  r.username = config.username;
  auto password = resolve_secret(config.password_env, config.password_file, env, what + " password");
  if (!password) return std::unexpected(password.error());
  if (!config.username.empty() && password->empty())
    return fail(ErrorCode::kConfig, what + ": username given but no password_env or password_file");
  r.password = std::move(*password);
  r.timeout = options.timeout * 2;
  return std::make_unique<EmailChannel>(config, std::move(r), env, options);
}

Result<std::unique_ptr<Channel>> make_webhook_channel(const WebhookConfig& config, const Environment& env_in,
                                                      const DeliveryOptions& options) {
  const Environment env = complete(env_in);
  if (config.url.empty()) return fail(ErrorCode::kConfig, "webhook: url is required");
  const std::string what = "webhook " + transport::redact_url(config.url);
  if (!is_web_url(config.url)) return fail(ErrorCode::kConfig, what + ": url must start with http:// or https://");
  if (config.style != "json" && config.style != "slack" && config.style != "mattermost" && config.style != "teams")
    return fail(ErrorCode::kConfig,
                what + ": style must be json, slack, mattermost or teams, not '" + config.style + "'");
  auto secret = resolve_secret(config.secret_env, config.secret_file, env, what + " secret");
  if (!secret) return std::unexpected(secret.error());
  return std::make_unique<WebhookChannel>(config, std::move(*secret), env, options);
}

Result<std::unique_ptr<Channel>> make_command_channel(const CommandConfig& config, Format format,
                                                      const Environment& /*env*/, const DeliveryOptions& options) {
  if (config.argv.empty() || config.argv.front().empty()) return fail(ErrorCode::kConfig, "command: argv is empty");
  return std::make_unique<CommandChannel>(config, format, options);
}

Result<std::vector<std::unique_ptr<Channel>>> make_configured_channels(const DigestConfig& config,
                                                                       const Environment& env,
                                                                       const DeliveryOptions& options) {
  std::vector<std::unique_ptr<Channel>> out;
  for (const auto& e : config.email) {
    auto c = make_email_channel(e, env, options);
    if (!c) return std::unexpected(c.error());
    out.push_back(std::move(*c));
  }
  for (const auto& w : config.webhook) {
    auto c = make_webhook_channel(w, env, options);
    if (!c) return std::unexpected(c.error());
    out.push_back(std::move(*c));
  }
  const auto format = format_from_string(config.format);
  if (!format) return fail(ErrorCode::kConfig, "digest.format: unknown format '" + config.format + "'");
  for (const auto& cmd : config.command) {
    auto c = make_command_channel(cmd, *format, env, options);
    if (!c) return std::unexpected(c.error());
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace banwatch::digest

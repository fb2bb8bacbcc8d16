// Delivery channels for a digest: standard output, a file or dated files in a
// directory, email, webhooks and a command. Each channel is a Channel whose
// key() names its cursor in the store, so every channel receives every event
// exactly once even when another channel fails (digest/run.h).
//
// Secrets (SMTP passwords, webhook signing keys) come from environment
// variables or files named in the configuration; they are never part of an
// error message, a label or a log line.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"
#include "common/error.h"
#include "common/time.h"
#include "digest/digest.h"
#include "digest/render.h"

namespace banwatch::digest {

class Channel {
 public:
  virtual ~Channel() = default;
  // The cursor's name in the store's digests table: "stdout", "file:<dir>",
  // "email:<hash>", ... Stable across runs and config reordering.
  virtual std::string key() const = 0;
  // For people and logs: "email to 2 recipients via smtps://mail.example.org:465".
  virtual std::string label() const = 0;
  // Whether an empty digest ("nothing new") is delivered at all.
  virtual bool wants_empty() const = 0;
  // Errors name the channel and the cause.
  virtual Status deliver(const Digest& digest) = 0;
};

// Where secrets and the clock come from; tests replace both.
struct Environment {
  std::function<std::optional<std::string>(const std::string&)> getenv;  // default: ::getenv
  std::string base_dir;                                  // relative secret files are resolved against it ("" = cwd)
  std::function<void(std::chrono::milliseconds)> sleep;  // default: this_thread::sleep_for
  std::function<Timestamp()> now;                        // default: system clock
};
Environment system_environment();

struct DeliveryOptions {
  RenderOptions render;
  bool send_empty = false;                   // email/webhook/command: deliver "nothing new"
  std::chrono::milliseconds backoff{2'000};  // first retry delay; doubles each attempt
  std::chrono::milliseconds max_backoff{60'000};
  std::chrono::milliseconds timeout{30'000};  // per attempt (webhook, email); command: 10x
  std::string user_agent = "banwatch";
};

// A secret from the variable `env_name` or else the file `file` (trailing
// newline removed). kConfig names the variable or file, never the value.
// Both empty: returns "".
Result<std::string> resolve_secret(const std::string& env_name, const std::string& file, const Environment& env,
                                   std::string_view what);

// ---- channels -------------------------------------------------------------------

std::unique_ptr<Channel> make_stdout_channel(Format format, const DeliveryOptions& options, std::FILE* out = stdout);

// `path` is a file (replaced atomically each run) or, when `as_directory`,
// a directory receiving DIR/YYYY-MM-DD.<ext> (the digest's generation date,
// UTC). In a directory a second brief of the same day goes to
// YYYY-MM-DD-2.<ext> and so on: an earlier brief is never overwritten unless
// `replace_dated` (window digests, which repeat themselves by design).
std::unique_ptr<Channel> make_file_channel(const std::string& path, bool as_directory, Format format,
                                           const DeliveryOptions& options, bool replace_dated = false);

Result<std::unique_ptr<Channel>> make_email_channel(const EmailConfig& config, const Environment& env,
                                                    const DeliveryOptions& options);
Result<std::unique_ptr<Channel>> make_webhook_channel(const WebhookConfig& config, const Environment& env,
                                                      const DeliveryOptions& options);
Result<std::unique_ptr<Channel>> make_command_channel(const CommandConfig& config, Format format,
                                                      const Environment& env, const DeliveryOptions& options);

// Every channel configured under `digest:` (email, webhook, command), in that
// order. The first configuration error stops and is returned.
Result<std::vector<std::unique_ptr<Channel>>> make_configured_channels(const DigestConfig& config,
                                                                       const Environment& env,
                                                                       const DeliveryOptions& options);

// ---- the parts, exposed for tests -------------------------------------------------

// "Analyst <a@example.org>" -> "a@example.org"; "a@example.org" unchanged.
// nullopt when there is no plausible address or it contains controls/spaces.
std::optional<std::string> bare_address(std::string_view mailbox);

// RFC 2047 B-encoding, UTF-8, split into encoded-words of at most 75
// characters joined by CRLF SP; ASCII text without controls comes back as is.
std::string encode_header_word(std::string_view text);
// RFC 2045 quoted-printable, CRLF line ends, lines of at most 76 characters.
std::string quoted_printable(std::string_view text);
// RFC 5322 date: "Thu, 26 Nov 2026 21:09:00 +0000".
std::string rfc5322_date(Timestamp t);

struct MailMessage {
  std::string from;  // mailbox, may have a display name
  std::vector<std::string> to;
  std::string subject;     // UTF-8
  std::string text, html;  // the two alternatives
  Timestamp date{};
  std::string message_id;  // "<...@domain>"; "" = generated
};
// A multipart/alternative message, CRLF line ends. kInvalidArgument on a
// header value with a line break or a mailbox without an address.
Result<std::string> build_mime_message(const MailMessage& message);

// Lower-case hex HMAC-SHA256 of `body` keyed with `key` (the webhook's
// X-Banwatch-Signature is "sha256=" + this).
std::string hmac_sha256_hex(std::string_view key, std::string_view body);
inline constexpr std::string_view kSignatureHeader = "X-Banwatch-Signature";

// Runs argv (PATH lookup, no shell) with `input` on its standard input and
// its standard output sent to our standard error. Fails when it cannot start,
// closes its input early, exits non-zero, dies from a signal or outlives the
// timeout (then it is terminated).
Status run_command(const std::vector<std::string>& argv, std::string_view input, std::chrono::milliseconds timeout);

}  // namespace banwatch::digest

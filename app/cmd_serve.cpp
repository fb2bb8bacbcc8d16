// banwatch serve: the read-only web UI and JSON API over the store
// (serve/serve.h), on a loopback address unless a token guards it.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "app/app.h"
#include "serve/serve.h"

namespace banwatch::app {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string token_file;
};

// The token: the file's first line, without surrounding white space.
Result<std::string> read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail(ErrorCode::kInvalidArgument, "--auth-token-file " + path + ": cannot be read");
  std::string line;
  std::getline(in, line);
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  std::string token = first == std::string::npos ? "" : line.substr(first, last - first + 1);
  if (token.size() < 16) {
    return fail(ErrorCode::kInvalidArgument,
                "--auth-token-file " + path + ": the token (the first line) must have at least 16 characters");
  }
  for (char c : token) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == ';' || c == ',' || c == '"' || c == '\\' ||
        static_cast<unsigned char>(c) >= 0x7f) {
      return fail(ErrorCode::kInvalidArgument, "--auth-token-file " + path +
                                                   ": the token may hold only printable ASCII without spaces, "
                                                   "quotes, commas, semicolons or backslashes");
    }
  }
  return token;
}

int run_serve(Context& ctx, const ServeOptions& opts) {
  auto address = serve::parse_listen(opts.listen);
  if (!address) return ctx.report(address.error());
  serve::SiteOptions site;
  if (!opts.token_file.empty()) {
    auto token = read_token(opts.token_file);
    if (!token) return ctx.report(token.error());
    site.auth_token = *token;
  }
  if (!serve::is_loopback(address->host) && site.auth_token.empty()) {
    return ctx.report(Error(ErrorCode::kInvalidArgument,
                            fmt::format("--listen {}: refusing to serve beyond this machine without a token "
                                        "(give --auth-token-file FILE, or listen on 127.0.0.1)",
                                        opts.listen)));
  }
  auto store = ctx.store(/*create=*/false);
  if (!store) return ctx.report(store.error());

  // SIGINT and SIGTERM stop the server: blocked here (the server's threads
  // inherit the mask) and awaited below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto server = serve::Server::start(**store, *address, site);
  if (!server) {
    pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
    return ctx.report(server.error());
  }
  const bool v6 = address->host.find(':') != std::string::npos;
  std::cout << fmt::format("banwatch: serving http://{}{}{}:{}/ (read-only; Ctrl-C stops)", v6 ? "[" : "",
                           address->host, v6 ? "]" : "", (*server)->port())
            << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("serve: stopping on signal {}", received);
  (*server)->stop();
  (*server)->wait();
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, Context& ctx) {
  auto [cmd, opts] =
      add_command<ServeOptions>(app, ctx, "serve", "A read-only web UI and JSON API over the store", run_serve);
  cmd->add_option("--listen", opts->listen,
                  "HOST:PORT to listen on (port 0: any free port); an address other than loopback needs "
                  "--auth-token-file")
      ->capture_default_str()
      ->type_name("HOST:PORT");
  cmd->add_option("--auth-token-file", opts->token_file,
                  "A file whose first line is the token every request must carry (Bearer or cookie)")
      ->type_name("FILE");
}

}  // namespace banwatch::app

// A minimal SMTP server on 127.0.0.1 for tests (RFC 5321 subset: EHLO/HELO,
// AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT). It records every
// transaction so tests can check the exact message a client submitted.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace banwatch::digest::testing {

struct SmtpTransaction {
  std::string helo, auth_plain, mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;  // dot-stuffing removed, CRLF kept
};

class SmtpServer {
 public:
  SmtpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~SmtpServer() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    thread_.join();
  }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // Recipients answered with 550, as a server does for an unknown mailbox.
  void reject_recipient(const std::string& address) {
    std::lock_guard lock(mu_);
    rejected_.insert(address);
  }
  std::vector<SmtpTransaction> transactions() const {
    std::lock_guard lock(mu_);
    return done_;
  }

 private:
  static std::string decode_base64(const std::string& in) {
    static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -8;
    for (char c : in) {
      const auto pos = chars.find(c);
      if (pos == std::string::npos) break;
      val = (val << 6) + static_cast<int>(pos);
      bits += 6;
      if (bits >= 0) {
        out.push_back(static_cast<char>((val >> bits) & 0xFF));
        bits -= 8;
      }
    }
    return out;
  }

  void serve() {
    while (!stop_) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      session(fd);
      ::close(fd);
    }
  }

  static void send_line(int fd, const std::string& line) {
    const std::string s = line + "\r\n";
    (void)!::write(fd, s.data(), s.size());
  }

  // Reads one CRLF-terminated line; false at end of stream.
  bool read_line(int fd, std::string& buffer, std::string& line) {
    for (;;) {
      const auto eol = buffer.find("\r\n");
      if (eol != std::string::npos) {
        line = buffer.substr(0, eol);
        buffer.erase(0, eol + 2);
        return true;
      }
      char chunk[4096];
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  void session(int fd) {
    std::string buffer, line;
    SmtpTransaction t;
    send_line(fd, "220 localhost ESMTP banwatch-test");
    while (read_line(fd, buffer, line)) {
      std::string upper = line.substr(0, 10);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper.starts_with("EHLO")) {
        t.helo = line.size() > 5 ? line.substr(5) : "";
        send_line(fd, "250-localhost");
        send_line(fd, "250-AUTH PLAIN");
        send_line(fd, "250-8BITMIME");
        send_line(fd, "250 SIZE 10485760");
      } else if (upper.starts_with("HELO")) {
        t.helo = line.size() > 5 ? line.substr(5) : "";
        send_line(fd, "250 localhost");
      } else if (upper.starts_with("AUTH PLAIN")) {
        std::string initial = line.size() > 11 ? line.substr(11) : "";
        if (initial.empty()) {
          send_line(fd, "334 ");
          if (!read_line(fd, buffer, initial)) return;
        }
        t.auth_plain = decode_base64(initial);
        send_line(fd, "235 2.7.0 Authentication successful");
      } else if (upper.starts_with("MAIL FROM:")) {
        t.mail_from = line.substr(10);
        send_line(fd, "250 2.1.0 Ok");
      } else if (upper.starts_with("RCPT TO:")) {
        std::string rcpt = line.substr(8);
        bool rejected = false;
        {
          std::lock_guard lock(mu_);
          for (const auto& r : rejected_) rejected = rejected || rcpt.find(r) != std::string::npos;
        }
        if (rejected) {
          send_line(fd, "550 5.1.1 No such user");
        } else {
          t.rcpt_to.push_back(rcpt);
          send_line(fd, "250 2.1.5 Ok");
        }
      } else if (upper.starts_with("DATA")) {
        send_line(fd, "354 End data with <CR><LF>.<CR><LF>");
        std::string data;
        while (read_line(fd, buffer, line)) {
          if (line == ".") break;
          if (line.starts_with(".")) line.erase(0, 1);  // RFC 5321 4.5.2
          data += line + "\r\n";
        }
        t.data = std::move(data);
        {
          std::lock_guard lock(mu_);
          done_.push_back(t);
        }
        t = SmtpTransaction{t.helo, t.auth_plain, "", {}, ""};
        send_line(fd, "250 2.0.0 Ok: queued");
      } else if (upper.starts_with("RSET")) {
        t = SmtpTransaction{t.helo, t.auth_plain, "", {}, ""};
        send_line(fd, "250 2.0.0 Ok");
      } else if (upper.starts_with("NOOP")) {
        send_line(fd, "250 2.0.0 Ok");
      } else if (upper.starts_with("QUIT")) {
        send_line(fd, "221 2.0.0 Bye");
        return;
      } else {
        send_line(fd, "502 5.5.2 Command not recognized");
      }
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::set<std::string> rejected_;
  std::vector<SmtpTransaction> done_;
};

}  // namespace banwatch::digest::testing

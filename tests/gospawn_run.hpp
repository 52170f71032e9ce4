// SPDX-License-Identifier: BSD-3-Clause
// Running gospawn, unshare(1) or setpriv(1) with gospawn_child as PROGRAM,
// for the suites that talk to PROGRAM while it runs (test_gospawn_init,
// test_gospawn_signals, test_gospawn_utillinux). Included after
// live_probe.hpp; header-only, one .cpp per executable.
//
// Each command starts in a process group of its own, so that a case that
// fails kills all it started; stdin, stdout and stderr are pipes.
#pragma once

#include "drain.hpp"
#include "live_probe.hpp"

#ifndef GOSPAWN_PATH
#error "define GOSPAWN_PATH as the path of the gospawn binary"
#endif
#ifndef GOSPAWN_CHILD_PATH
#error "define GOSPAWN_CHILD_PATH as the path of tests/gospawn_child"
#endif

namespace th {

inline const std::string kGospawn = GOSPAWN_PATH;
inline const std::string kChild = GOSPAWN_CHILD_PATH;

// Ended is how a command ended and all it wrote.
struct Ended {
  int status = -1;  // as waitpid stores it
  std::string out, err;
  // code: the exit status, or -1 if it did not exit.
  int code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
  // how: "exit N" or "signal N", as the scenario tables print it.
  std::string how() const {
    return WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                             : "signal " + std::to_string(WTERMSIG(status));
  }
};

// Spawned is a running command.
class Spawned {
 public:
  // Starts path with argv; sys may add attributes (its Setpgid is set).
  Spawned(const std::string& path, const std::vector<std::string>& argv, gs::SysProcAttr sys = {}) {
    Pipe in, out, err;
    sys.Setpgid = true;
    gs::ProcAttr attr;
    for (char** e = environ; *e != nullptr; e++) attr.Env.emplace_back(*e);
    attr.Files = {in.r.u(), out.w.u(), err.w.u()};
    attr.Sys = &sys;
    gs::Errno e;
    std::tie(pid_, e) = gs::ForkExec(path, argv, &attr);
    if (e) fail("ForkExec " + path + ": " + e.Error());
    in_ = std::move(in.w);
    out_ = std::move(out.r);
    err_ = std::move(err.r);
  }
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;
  ~Spawned() {
    if (pid_ > 0) {  // a case that failed midway: end it all
      kill(-pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  int pid() const { return pid_; }

  // line is PROGRAM's next line on stdout, "" at its end; the bound turns a
  // hang into a failure.
  std::string line() {
    std::string s;
    for (;;) {
      if (!pollIn(out_.get(), kTimeoutMs)) {
        kill(-pid_, SIGKILL);
        fail("no line from " + std::to_string(pid_) + " within the bound; so far: " + s);
      }
      char c;
      const ssize_t n = read(out_.get(), &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || c == '\n') return s;
      s += c;
    }
  }

  // closeStdin ends PROGRAM's stdin (gospawn_child's cue to finish).
  void closeStdin() { in_.reset(); }

  // finish closes stdin, reads stdout and stderr to their end and reaps.
  Ended finish() {
    closeStdin();
    Ended r;
    if (!drainpipes::drain(out_.get(), &r.out, err_.get(), &r.err, kTimeoutMs)) {
      kill(-pid_, SIGKILL);
      fail("command " + std::to_string(pid_) + " did not end within the bound");
    }
    out_.reset();
    err_.reset();
    r.status = waitStatus(pid_);
    pid_ = 0;
    return r;
  }

 private:
  int pid_ = 0;
  Fd in_, out_, err_;
};

// gospawnWith: the argv of `gospawn FLAGS... -- gospawn_child ARGS...`.
inline std::vector<std::string> gospawnWith(const std::vector<std::string>& flags,
                                            const std::vector<std::string>& args) {
  std::vector<std::string> v = {"gospawn"};
  v.insert(v.end(), flags.begin(), flags.end());
  v.push_back("--");
  v.push_back(kChild);
  v.insert(v.end(), args.begin(), args.end());
  return v;
}

// Facts is gospawn_child's report: the first value of each key, and every
// "ps" line in order.
struct Facts {
  std::map<std::string, std::string> kv;
  std::vector<std::string> ps;  // "PID COMM"
  std::string get(const std::string& key) const {
    auto it = kv.find(key);
    return it == kv.end() ? "?" : it->second;
  }
};

inline Facts parseFacts(const std::string& out) {
  Facts f;
  for (const auto& l : lines(out)) {
    const auto sp = l.find(' ');
    const std::string key = l.substr(0, sp),
                      value = sp == std::string::npos ? "" : l.substr(sp + 1);
    if (key == "ps")
      f.ps.push_back(value);
    else if (key == "ns")
      f.kv["ns " + value.substr(0, value.find(' '))] = value.substr(value.find(' ') + 1);
    else
      f.kv.emplace(key, value);
  }
  return f;
}

// zombiesOf counts the zombies whose parent is pid, from /proc (this
// process's view: pid is a pid of its namespace).
inline int zombiesOf(int pid) {
  int n = 0;
  DIR* d = opendir("/proc");
  if (d == nullptr) fail("opendir /proc");
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + e->d_name + "/stat");
    std::string text;
    std::getline(in, text);
    const auto paren = text.rfind(')');
    if (paren == std::string::npos) continue;  // gone meanwhile
    std::istringstream fields(text.substr(paren + 2));
    char state = 0;
    int ppid = 0;
    fields >> state >> ppid;
    n += state == 'Z' && ppid == pid;
  }
  closedir(d);
  return n;
}

}  // namespace th

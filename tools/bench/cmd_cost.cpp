// SPDX-License-Identifier: BSD-3-Clause
// cmd_cost: what go::exec's Cmd adds to a spawn. Runs /bin/true three
// ways, interleaved in a fresh random order every round: a bare ForkExec +
// Wait4 (stdio inherited, the environment read once, as a caller keeps its
// configuration), Command("/bin/true").Run() (a new Cmd each time: the
// environment copied and deduplicated, /dev/null opened for each stream, a
// pidfd made and waited on), and Command(...).Output() (a pipe copied by
// Wait's poll loop). Prints the median µs of each, and the median of the
// per-round ratios to the bare spawn: each round's ways run next to each
// other, so the ratio of a round is measured under that round's load (the
// ratio of the overall medians moves more when other work comes and goes).
//
//   cmd_cost [ROUNDS [PER_ROUND]]     default 100 rounds x 10 spawns
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "exec/exec.hpp"
#include "syscall/syscall.hpp"
#include "tools/bench/rounds.hpp"

namespace gs = go::syscall;
namespace ex = go::exec;

namespace {

struct Way {
  const char* name;
  std::function<bool()> spawn;  // false: it failed
  std::vector<double> us;       // every spawn
  std::vector<double> roundUs;  // this round's
  std::vector<double> ratios;   // each round's median, over the bare spawn's
};

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 100;
  const int perRound = argc > 2 ? std::atoi(argv[2]) : 10;
  gs::ProcAttr attr;
  attr.Files = {0, 1, 2};
  attr.Env = gs::Environ();

  std::vector<Way> ways =
      {
          {"ForkExec + Wait4",
           [&] {
    auto [pid, err] = gs::ForkExec("/bin/true", {"true"}, &attr);
    if (err) return false;
    gs::WaitStatus ws;
    while (gs::Wait4(pid, &ws, 0, nullptr).second == gs::EINTR_) {
    }
    return ws.ExitStatus() == 0;
           }},
          {"Cmd.Run", [] { return !ex::Command("/bin/true").Run(); }},
          {"Cmd.Output", [] { return !ex::Command("/bin/true").Output().second; }},
  };

  bool failed = false;
  interleave(
      ways, rounds,
      [&](Way& w) {
    w.roundUs.clear();
    for (int i = 0; i < perRound && !failed; i++) {
      const auto t0 = std::chrono::steady_clock::now();
      failed = !w.spawn();
      w.roundUs.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    if (failed) std::fprintf(stderr, "cmd_cost: %s failed\n", w.name);
    w.us.insert(w.us.end(), w.roundUs.begin(), w.roundUs.end());
      },
      [&] {
    for (auto& w : ways) w.ratios.push_back(median(w.roundUs) / median(ways[0].roundUs));
  });
  if (failed) return 1;

  std::printf(
      "| /bin/true, spawned by | median µs | ÷ ForkExec + Wait4 (median of %d rounds) "
      "|\n|---|---|---|\n",
      rounds);
  for (auto& w : ways)
    std::printf("| %s | %.0f | %.3f |\n", w.name, median(w.us), median(w.ratios));
}

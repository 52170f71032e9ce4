// SPDX-License-Identifier: BSD-3-Clause
// The canary of the child path check: a child entry (by name) that makes
// the one thing the check must catch, a call. Every build compiles it with
// its own compiler, arch and flags, and check_child_calls.py --canary
// fails unless it reports that call: a check whose disassembly or parsing
// broke (a new objdump format, another arch's mnemonics) would otherwise
// pass every build without seeing anything.
extern "C" void gosyscall_canary_callee(void* arg);

namespace gosyscall_canary {

[[noreturn]] void childMain(void* arg) {
  gosyscall_canary_callee(arg);
  for (;;) {
  }
}

}  // namespace gosyscall_canary

// SPDX-License-Identifier: BSD-3-Clause
// Attributes for the code a child runs between clone and execve: it must
// make no function call (issue 12, defect 7; tests/childcheck holds every
// build to it), so no compiler option may add one.
//
// The child may share the parent's memory (CLONE_VM). Compiler
// options add calls and writes to code on their own: sanitizer checks and
// reports (ASan, UBSan, TSan, MSan), coverage callbacks and counters
// (-fsanitize=fuzzer, -fsanitize-coverage), the stack protector's
// __stack_chk_fail (-fstack-protector*, a distribution's hardening flags),
// profiling hooks (-pg, -finstrument-functions). Each calls into a runtime
// (libc-like code the child must not run) or writes that runtime's state,
// which in a shared-memory child is the parent's.
#pragma once

// GOSYSCALL_NO_INSTRUMENT: none of that in this function. Each attribute
// is checked on GCC 12 and Clang 14 by compiling a probe with the option
// and disassembling it; __has_attribute keeps older compilers quiet.
//   Clang: no_sanitize("coverage") removes the fuzzer's coverage (GCC
//     ignores it, with a warning); disable_sanitizer_instrumentation also
//     removes what no_sanitize("thread") keeps (__tsan_func_entry/exit).
//   GCC: no_sanitize_coverage (GCC 12) removes -fsanitize-coverage's.
//   Both: no_stack_protector (GCC 11, Clang 11): the child's entries never
//     return, so the protector puts no __stack_chk_fail call in them, but
//     it still sets up the canary (read from __stack_chk_guard on arm);
//     none of it belongs there, and a returning entry would get the call.
//     no_instrument_function covers -pg and -finstrument-functions.
// _FORTIFY_SOURCE needs none: it only redirects calls to libc, which the
// child never makes.
#if defined(__has_attribute)
#if __has_attribute(no_stack_protector)
#define GOSYSCALL_ATTR_NO_STACK_PROTECTOR , no_stack_protector
#endif
#if __has_attribute(disable_sanitizer_instrumentation)
#define GOSYSCALL_ATTR_NO_SANITIZER , disable_sanitizer_instrumentation
#endif
#if __has_attribute(no_sanitize_coverage)
#define GOSYSCALL_ATTR_NO_COVERAGE , no_sanitize_coverage
#endif
#endif
#ifndef GOSYSCALL_ATTR_NO_STACK_PROTECTOR
#define GOSYSCALL_ATTR_NO_STACK_PROTECTOR
#endif
#ifndef GOSYSCALL_ATTR_NO_SANITIZER
#define GOSYSCALL_ATTR_NO_SANITIZER
#endif
#ifndef GOSYSCALL_ATTR_NO_COVERAGE
#define GOSYSCALL_ATTR_NO_COVERAGE
#endif

#if defined(__clang__)
#define GOSYSCALL_NO_INSTRUMENT                                                       \
  __attribute__((                                                                     \
      no_sanitize("address", "hwaddress", "memory", "thread", "undefined", "integer", \
                  "nullability", "coverage"),                                         \
      no_instrument_function GOSYSCALL_ATTR_NO_SANITIZER GOSYSCALL_ATTR_NO_STACK_PROTECTOR))
#elif defined(__GNUC__) && __GNUC__ >= 8
#define GOSYSCALL_NO_INSTRUMENT                      \
  __attribute__((                                    \
      no_sanitize("address", "thread", "undefined"), \
      no_instrument_function GOSYSCALL_ATTR_NO_COVERAGE GOSYSCALL_ATTR_NO_STACK_PROTECTOR))
#else
#define GOSYSCALL_NO_INSTRUMENT __attribute__((no_instrument_function))
#endif

// GOSYSCALL_CHILD_INLINE: a function the child reaches (RawSyscall, Errno's
// members): always inlined, at -O0 too, so that no call (through the PLT,
// in a shared library) ever happens; and not instrumented, because UBSan
// and -finstrument-functions instrument a function before it is inlined,
// and their code would come along into the child.
#define GOSYSCALL_CHILD_INLINE __attribute__((always_inline)) GOSYSCALL_NO_INSTRUMENT

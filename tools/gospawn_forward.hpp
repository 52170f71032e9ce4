// SPDX-License-Identifier: BSD-3-Clause
// gospawn's signal forwarding: every signal gospawn can catch is passed on
// to the child, including those that arrive before the child's pid is known
// (tini's and dumb-init's rule, so that nothing sent to gospawn kills it and
// leaves PROGRAM running as an orphan). The exceptions:
//
//   SIGKILL, SIGSTOP   cannot be caught (--pdeathsig answers SIGKILL).
//   SIGCHLD            left at its default: gospawn waits for its children.
//   SIGTTIN, SIGTTOU   not passed on, as tini ignores them: they are about
//                      gospawn's own use of the terminal (an error message,
//                      taking the terminal back after --foreground), and
//                      must not stop it. Caught and dropped until the child
//                      exists, blocked from then on (HoldOwnSignals).
//   32, 33             glibc keeps them for its threads and refuses handlers;
//                      blocked once the child exists (HoldOwnSignals).
//   ignored ones       a signal gospawn inherited as ignored stays ignored and
//                      is not forwarded (as `nohup` or a shell asked).
//   its own            a fault the kernel raises in gospawn (SIGSEGV, SIGBUS,
//                      SIGFPE, SIGILL, SIGTRAP, SIGSYS) or a signal gospawn
//                      sends itself (abort's SIGABRT) takes its default action
//                      at once, so that a crash is a crash; its own SIGPIPE (a
//                      write to a closed stderr) is dropped.
//
// Nothing stays blocked across ForkExec unless the caller asks (the child
// would inherit a blocked mask through execve). Instead the handler
// remembers a signal that arrives while there is no pid yet, and ForwardTo
// sends it once there is one. The switch from "remember" to "send" happens
// with the signals blocked, so each signal is either remembered and sent by
// ForwardTo, or sent by the handler.
#pragma once

#include <signal.h>

namespace gospawn {

// Forwarded tells whether InstallForwarding passes sig on when gospawn did
// not inherit it ignored: every catchable signal but the exceptions above.
bool Forwarded(int sig);

// InstallForwarding installs the handlers. Call it before creating the child.
void InstallForwarding();

// BlockForwarded blocks every signal InstallForwarding handles and stores
// the mask it replaced in *old. A child created meanwhile starts with them
// blocked; the kernel then queues them for it instead of dropping them,
// which matters for the init of a new pid namespace (gospawn_init.hpp):
// the kernel drops a signal from outside to such an init whose disposition
// is still the default.
void BlockForwarded(sigset_t* old);

// ForwardTo sets the child's pid and sends it every signal remembered so far.
void ForwardTo(int pid);

// HoldOwnSignals sets the signal mask to mask plus the signals gospawn
// keeps from PROGRAM and that must not stop or end it: SIGTTIN and SIGTTOU
// (the kernel treats a blocked one as ignored: gospawn may then write to
// and take back its terminal from the background, where a handler would
// have it retry forever), and 32 and 33, glibc's own, whose default action
// would end gospawn and which glibc lets it neither catch nor ignore
// (gospawn starts no thread, so it never needs them). In one system call,
// so that once a signal has been forwarded, they are held. Call it once
// ForkExec has returned: the child must not inherit them blocked, nor
// ignored (execve keeps that), which is why they are not simply ignored.
void HoldOwnSignals(const sigset_t& mask);

// StopForwarding ends forwarding before the child is reaped: after that its
// pid may name another process. Later signals are dropped.
void StopForwarding();

}  // namespace gospawn

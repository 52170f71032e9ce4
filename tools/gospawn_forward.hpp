// gospawn's signal forwarding: SIGTERM, SIGINT, SIGHUP and SIGQUIT received
// by gospawn are passed on to the child, including those that arrive before
// the child's pid is known.
//
// Nothing is kept blocked across ForkExec (the child would inherit a blocked
// mask through execve). Instead the handler remembers a signal that arrives
// while there is no pid yet, and ForwardTo sends it once there is one. The
// switch from "remember" to "send" happens with the signals blocked, so each
// signal is either remembered and sent by ForwardTo, or sent by the handler.
#pragma once

namespace gospawn {

// InstallForwarding installs the handlers. Call it before creating the
// child. A signal that gospawn inherited as ignored stays ignored and is not
// forwarded (as `nohup` or a shell's background job asked), and the child
// inherits it ignored.
void InstallForwarding();

// ForwardTo sets the child's pid and sends it every signal remembered so far.
void ForwardTo(int pid);

// StopForwarding ends forwarding before the child is reaped: after that its
// pid may name another process. Later signals are dropped.
void StopForwarding();

}  // namespace gospawn

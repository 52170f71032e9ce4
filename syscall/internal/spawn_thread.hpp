// The spawn thread: one long-lived thread of the library on which children
// are created when SysProcAttr::PdeathsigProcessLifetime asks for it, so
// that their parent-death signal follows the process, not the calling
// thread (the kernel ties it to the creating thread, Go issue 27505).
#pragma once

#include "syscall/types.hpp"

namespace go::syscall::detail {

// onSpawnThread runs fn(arg) on the spawn thread, started at the first call
// and never ended, and returns once fn has returned. fn runs with the
// calling thread's signal mask (so a child created there inherits that
// mask, as it would on the calling thread); between calls the spawn thread
// blocks every signal, so no handler of the process runs on it. Calls are
// served one at a time. EAGAIN if the thread cannot be started; fn must
// not throw.
Errno onSpawnThread(void (*fn)(void*), void* arg) noexcept;

}  // namespace go::syscall::detail

// SPDX-License-Identifier: BSD-3-Clause
/* exit0: a static program without libc that only exits 0: the floor of
   what a spawn costs (no dynamic loader, no libc start-up). amd64 only. */
void _start(void) {
  __asm__ volatile(
      "movl $60, %eax\n\t" /* SYS_exit */
      "xorl %edi, %edi\n\t"
      "syscall");
  __builtin_unreachable();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * pmg-access - one access to another process's memory, by one route, for
 * the guest suites (an accessor with an executable of its own, which an
 * allow rule can name):
 *
 *   pmg-access vm-read PID ADDR LEN     process_vm_readv; prints the bytes
 *   pmg-access vm-write PID ADDR TEXT   process_vm_writev
 *   pmg-access attach PID               PTRACE_ATTACH, wait, detach
 *   pmg-access seize PID                PTRACE_SEIZE, detach
 *   pmg-access poke PID ADDR WORD       attach, PTRACE_POKEDATA, detach
 *   pmg-access pokeuser PID             attach, PTRACE_POKEUSER (DR7 = 0)
 *   pmg-access setregs PID              attach, GETREGS, SETREGS, detach
 *   pmg-access getfd PID FD             pidfd_open, pidfd_getfd
 *   pmg-access traceme                  fork a child that asks to be traced
 *                                       by this process (PTRACE_TRACEME);
 *                                       prints the child's pid
 *   pmg-access open PATH [FLAGS]        open(2) (flags: r, w, rw)
 *
 * Exit status 0 if the access succeeded; else the errno of the step that
 * failed (which is printed on stderr). With `-n`, first becomes nobody
 * (and dumpable again).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static int fail(const char *what)
{
	int e = errno ? errno : EIO;

	fprintf(stderr, "pmg-access: %s: %s\n", what, strerror(e));
	return e;
}

static int attach(pid_t pid)
{
	int st;

	if (ptrace(PTRACE_ATTACH, pid, 0, 0))
		return fail("PTRACE_ATTACH");
	if (waitpid(pid, &st, __WALL) < 0)
		return fail("waitpid");
	return 0;
}

static void detach(pid_t pid)
{
	ptrace(PTRACE_DETACH, pid, 0, 0);
}

int main(int argc, char **argv)
{
	const char *op;
	pid_t pid = 0;
	int err = 0;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534) ||
		    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
			return fail("becoming nobody");
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: pmg-access [-n] OP ARGS (see the source)\n");
		return 64;
	}
	op = argv[1];
	if (argc > 2)
		pid = (pid_t)strtol(argv[2], NULL, 0);
	errno = 0;
	if (!strcmp(op, "vm-read") && argc == 5) {
		size_t len = strtoul(argv[4], NULL, 0);
		char *buf = calloc(1, len + 1);
		struct iovec l = { buf, len };
		struct iovec r = { (void *)strtoul(argv[3], NULL, 0), len };

		if (process_vm_readv(pid, &l, 1, &r, 1, 0) != (ssize_t)len)
			return fail("process_vm_readv");
		printf("%s\n", buf);
	} else if (!strcmp(op, "vm-write") && argc == 5) {
		struct iovec l = { argv[4], strlen(argv[4]) };
		struct iovec r = { (void *)strtoul(argv[3], NULL, 0), l.iov_len };

		if (process_vm_writev(pid, &l, 1, &r, 1, 0) != (ssize_t)l.iov_len)
			return fail("process_vm_writev");
	} else if (!strcmp(op, "attach") && argc == 3) {
		err = attach(pid);
		if (!err)
			detach(pid);
	} else if (!strcmp(op, "seize") && argc == 3) {
		if (ptrace(PTRACE_SEIZE, pid, 0, 0))
			return fail("PTRACE_SEIZE");
		detach(pid);
	} else if (!strcmp(op, "poke") && argc == 5) {
		err = attach(pid);
		if (!err && ptrace(PTRACE_POKEDATA, pid,
				   (void *)strtoul(argv[3], NULL, 0),
				   (void *)strtoul(argv[4], NULL, 0)))
			err = fail("PTRACE_POKEDATA");
		detach(pid);
	} else if (!strcmp(op, "pokeuser") && argc == 3) {
		err = attach(pid);
		if (!err && ptrace(PTRACE_POKEUSER, pid,
				   (void *)offsetof(struct user, u_debugreg[7]),
				   (void *)0))
			err = fail("PTRACE_POKEUSER");
		detach(pid);
	} else if (!strcmp(op, "setregs") && argc == 3) {
		struct user_regs_struct regs;

		err = attach(pid);
		if (!err && ptrace(PTRACE_GETREGS, pid, 0, &regs))
			err = fail("PTRACE_GETREGS");
		if (!err && ptrace(PTRACE_SETREGS, pid, 0, &regs))
			err = fail("PTRACE_SETREGS");
		detach(pid);
	} else if (!strcmp(op, "getfd") && argc == 4) {
		int pidfd = syscall(SYS_pidfd_open, pid, 0), fd;

		if (pidfd < 0)
			return fail("pidfd_open");
		fd = syscall(SYS_pidfd_getfd, pidfd, atoi(argv[3]), 0);
		if (fd < 0)
			return fail("pidfd_getfd");
		close(fd);
	} else if (!strcmp(op, "traceme") && argc == 2) {
		int p[2], st;
		char c;
		pid_t child;

		if (pipe(p))
			return fail("pipe");
		child = fork();
		if (child == 0) {
			close(p[0]);
			c = ptrace(PTRACE_TRACEME, 0, 0, 0) ? (char)errno : 0;
			if (write(p[1], &c, 1) != 1)
				_exit(1);
			_exit(0);
		}
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			c = EIO;
		waitpid(child, &st, __WALL);
		if (WIFSTOPPED(st))
			ptrace(PTRACE_CONT, child, 0, 0), waitpid(child, &st, 0);
		printf("%d\n", child);
		errno = c;
		if (c)
			return fail("PTRACE_TRACEME");
	} else if (!strcmp(op, "open") && argc >= 3) {
		const char *f = argc > 3 ? argv[3] : "r";
		int flags = !strcmp(f, "rw") ? O_RDWR :
			    !strcmp(f, "w") ? O_WRONLY : O_RDONLY;
		int fd = open(argv[2], flags);

		if (fd < 0)
			return fail("open");
		close(fd);
	} else {
		fprintf(stderr, "pmg-access: bad arguments for %s\n", op);
		return 64;
	}
	fflush(stdout);
	return err;
}

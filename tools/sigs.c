// SPDX-License-Identifier: GPL-2.0
/*
 * sigs.c - the signatures and their metadata (see sigs.h).
 *
 * TRC-*: verbatim from Tracee v0.24.1 (signatures/golang/
 * proc_mem_access.go, proc_mem_code_injection.go,
 * process_vm_write_code_injection.go, ptrace_code_injection.go). Their
 * eventId is the one a stock Tracee build gives them (6000 + the
 * signature's place in signatures/golang/export.go); it is not a stable
 * number there either. PMG-*: procmem-guard's own, numbered 7000 + (n -
 * 2000), in Tracee's range for signatures from other builds (7000-7999).
 * ATT&CK: enterprise-attack (mitre/cti), as of 2025.
 */
#include <inttypes.h>
#include <stdio.h>

#include <procmem_guard.h>

#include "sigs.h"

/* Tracee's event ids of the triggering system calls, per architecture. */
#if defined(__aarch64__)
#define NR_PTRACE		117
#define NR_VM_READV		270
#define NR_VM_WRITEV		271
#else
#define NR_PTRACE		101
#define NR_VM_READV		310
#define NR_VM_WRITEV		311
#endif
#define NR_PIDFD_GETFD		438
#define EV_SECURITY_FILE_OPEN	732	/* Tracee's common events: 700 + 32 */

static const struct pmg_tactic credential_access = {
	"TA0006", "Credential Access",
};
static const struct pmg_tactic defense_evasion = {
	"TA0005", "Defense Evasion",
};
static const struct pmg_tactic privilege_escalation = {
	"TA0004", "Privilege Escalation",
};

#define INJECTION_DESCRIPTION						\
	"Possible code injection into another process was detected. "	\
	"Code injection is an exploitation technique used to run "	\
	"malicious code, adversaries may use it in order to execute "	\
	"their malware."

/* Process Injection (T1055): defense evasion and privilege escalation. */
#define INJECTION_TACTICS	{ &defense_evasion, &privilege_escalation, NULL }

static const struct pmg_sig_info sigs[] = {
	{
		.id = PMG_SIG_MEM_READ,
		.trc = "TRC-1023",
		.event = "proc_mem_access",
		.event_id = "6016",
		.name = "Process memory access detected",
		.description = "Process memory access detected. Adversaries may "
			"access other processes memory to steal credentials "
			"and secrets.",
		.severity = 3,
		.category = "credential-access",
		.technique = "Proc Filesystem",
		.mitre = "T1003.007",
		.stix_id = "attack-pattern--3120b9fa-23b8-4500-ae73-09494f607b7d",
		.tech_id = "T1003",
		.tech_name = "OS Credential Dumping",
		.sub_id = "T1003.007",
		.sub_name = "Proc Filesystem",
		.tactics = { &credential_access, NULL },
		.trigger = "security_file_open",
		.trigger_id = EV_SECURITY_FILE_OPEN,
	},
	{
		.id = PMG_SIG_MEM_WRITE,
		.trc = "TRC-1024",
		.event = "proc_mem_code_injection",
		.event_id = "6003",
		.name = "Code injection detected through /proc/<pid>/mem file",
		.description = INJECTION_DESCRIPTION,
		.severity = 3,
		.category = "defense-evasion",
		.technique = "Proc Memory",
		.mitre = "T1055.009",
		.stix_id = "attack-pattern--d201d4cc-214d-4a74-a1ba-b3fa09fd4591",
		.tech_id = "T1055",
		.tech_name = "Process Injection",
		.sub_id = "T1055.009",
		.sub_name = "Proc Memory",
		.tactics = INJECTION_TACTICS,
		.trigger = "security_file_open",
		.trigger_id = EV_SECURITY_FILE_OPEN,
	},
	{
		.id = PMG_SIG_VM_WRITE,
		.trc = "TRC-1025",
		.event = "process_vm_write_inject",
		.event_id = "6020",
		.name = "Code injection detected using process_vm_writev syscall",
		.description = INJECTION_DESCRIPTION,
		.severity = 3,
		.category = "defense-evasion",
		.technique = "Process Injection",
		.mitre = "T1055",
		.stix_id = "attack-pattern--43e7dc91-05b2-474c-b9ac-2ed4fe101f4d",
		.tech_id = "T1055",
		.tech_name = "Process Injection",
		.tactics = INJECTION_TACTICS,
		.trigger = "process_vm_writev",
		.trigger_id = NR_VM_WRITEV,
	},
	{
		.id = PMG_SIG_PTRACE_INJECT,
		.trc = "TRC-103",
		.event = "ptrace_code_injection",
		.event_id = "6019",
		.name = "Code injection detected using ptrace",
		.description = INJECTION_DESCRIPTION,
		.severity = 3,
		.category = "defense-evasion",
		.technique = "Ptrace System Calls",
		.mitre = "T1055.008",
		.stix_id = "attack-pattern--ea016b56-ae0e-47fe-967a-cc0ad51af67f",
		.tech_id = "T1055",
		.tech_name = "Process Injection",
		.sub_id = "T1055.008",
		.sub_name = "Ptrace System Calls",
		.tactics = INJECTION_TACTICS,
		.trigger = "ptrace",
		.trigger_id = NR_PTRACE,
	},
	{
		.id = PMG_SIG_VM_READ,
		.trc = "PMG-2001",
		.event = "process_vm_read_access",
		.event_id = "7001",
		.name = "Process memory read using process_vm_readv syscall",
		.description = "Another process's memory was read with "
			"process_vm_readv. Adversaries may read other processes "
			"memory to steal credentials and secrets.",
		.severity = 3,
		.category = "credential-access",
		.technique = "OS Credential Dumping",
		.mitre = "T1003",
		.stix_id = "attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22",
		.tech_id = "T1003",
		.tech_name = "OS Credential Dumping",
		.tactics = { &credential_access, NULL },
		.trigger = "process_vm_readv",
		.trigger_id = NR_VM_READV,
	},
	{
		.id = PMG_SIG_PTRACE_ATTACH,
		.trc = "PMG-2002",
		.event = "ptrace_attach",
		.event_id = "7002",
		.name = "Process attached to another with ptrace",
		.description = "A process became the tracer of another "
			"(PTRACE_ATTACH, PTRACE_SEIZE or PTRACE_TRACEME), "
			"which lets it read and write the other's memory and "
			"registers. Debuggers do this; so do adversaries who "
			"inject code.",
		.severity = 2,
		.category = "defense-evasion",
		.technique = "Ptrace System Calls",
		.mitre = "T1055.008",
		.stix_id = "attack-pattern--ea016b56-ae0e-47fe-967a-cc0ad51af67f",
		.tech_id = "T1055",
		.tech_name = "Process Injection",
		.sub_id = "T1055.008",
		.sub_name = "Ptrace System Calls",
		.tactics = INJECTION_TACTICS,
		.trigger = "ptrace",
		.trigger_id = NR_PTRACE,
	},
	{
		.id = PMG_SIG_PIDFD_GETFD,
		.trc = "PMG-2003",
		.event = "pidfd_getfd_access",
		.event_id = "7003",
		.name = "File descriptor taken from another process with "
			"pidfd_getfd",
		.description = "A process duplicated a file descriptor of "
			"another process with pidfd_getfd, gaining whatever "
			"that descriptor gives access to.",
		.severity = 2,
		.category = "",
		.technique = "",
		.mitre = "",
		.stix_id = "",
		.tactics = { NULL },
		.trigger = "pidfd_getfd",
		.trigger_id = NR_PIDFD_GETFD,
	},
};

const struct pmg_sig_info *pmg_sig_info(uint32_t signature)
{
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigs[i].id == signature)
			return &sigs[i];
	return NULL;
}

const char *pmg_sig_label(uint32_t signature, char buf[16])
{
	const struct pmg_sig_info *si = pmg_sig_info(signature);

	if (si)
		return si->trc;
	snprintf(buf, 16, "%s-%" PRIu32, signature >= 2000 ? "PMG" : "TRC",
		 signature);
	return buf;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sigs.h - what procmem-guard says about each signature: the names and
 * metadata Tracee v0.24 gives TRC-103, TRC-1023, TRC-1024 and TRC-1025
 * (the files in signatures/golang there), procmem-guard's own PMG-2001..2003, and
 * the MITRE ATT&CK identifiers behind them.
 */
#ifndef PMG_SIGS_H
#define PMG_SIGS_H

#include <stdint.h>

/* An ATT&CK tactic. */
struct pmg_tactic {
	const char *id;			/* "TA0006" */
	const char *name;		/* "Credential Access" */
};

struct pmg_sig_info {
	uint32_t id;			/* enum pmg_signature */
	const char *trc;		/* "TRC-1023", "PMG-2001" */
	const char *event;		/* Tracee's EventName: "proc_mem_access" */
	const char *event_id;		/* Tracee's eventId, a string: "6016" */
	const char *name;		/* "Process memory access detected" */
	const char *description;
	int severity;			/* Tracee's scale, 0..4 */
	/* Tracee's Properties; "" where there is none (PMG-2003). */
	const char *category;		/* an ATT&CK tactic's short name */
	const char *technique;		/* "Proc Filesystem" */
	const char *mitre;		/* "T1003.007" */
	const char *stix_id;		/* "attack-pattern--..." */
	/* ATT&CK for ECS: the technique, its sub-technique, the tactics. */
	const char *tech_id;		/* "T1003", or NULL */
	const char *tech_name;
	const char *sub_id;		/* "T1003.007", or NULL */
	const char *sub_name;
	const struct pmg_tactic *tactics[3];	/* NULL-terminated */
	/* Tracee's triggering event ("detectedFrom"). */
	const char *trigger;		/* "security_file_open", "ptrace" */
	int trigger_id;			/* its id on this architecture */
};

/* NULL for a signature this tool does not know. */
const struct pmg_sig_info *pmg_sig_info(uint32_t signature);

/* "TRC-<n>" below 2000, "PMG-<n>" from 2000 on, into buf (16 bytes). */
const char *pmg_sig_label(uint32_t signature, char buf[16]);

#endif /* PMG_SIGS_H */

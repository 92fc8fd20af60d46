#!/usr/bin/env bash
# Run shellcheck on every shell script of the tree: the *.sh files, the files
# whose first line is a #! of sh or bash (tests/guest/init, .ci/run, ...),
# and dkms.conf (dkms, a bash script, sources it). The files are those git
# knows, tracked or not ignored (outside a checkout: every file but
# build/); -x lets shellcheck follow what they source.
# A finding is fixed, or disabled inline with a comment saying why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -co --exclude-standard)
else
	mapfile -t files < <(find . \( -path ./build -o -path ./.git \) -prune -o \
		-type f -print | sed 's|^\./||')
fi
scripts=()
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	case $f in
	*.sh | dkms.conf)
		scripts+=("$f")
		continue
		;;
	esac
	first=
	IFS= read -r first <"$f" 2>/dev/null || true
	if [[ $first =~ ^#!.*[/\ ](ba)?sh([[:space:]]|$) ]]; then
		scripts+=("$f")
	fi
done
echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${#scripts[@]} scripts"
shellcheck -x "${scripts[@]}"

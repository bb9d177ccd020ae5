# SPDX-License-Identifier: GPL-2.0-or-later
# The values the vfio-utils completions read from the system, the one under
# the --root DIR (or --root=DIR) given earlier on the line; each tool's file
# sources this one, next to it.  The devices are those of sysfs, named as the
# suite's own iommu-groups -D names them; without it, or without IOMMU
# groups, they go without a name and their IDs are read from sysfs.  Nothing
# is offered where the system has nothing: the tools' files complete no file
# names there.  (string with no word to work on reads standard input: each
# call below has one, or is not made.)

# The --root of the line, "" for /
function __vfio_utils_root
	set -l tokens (commandline -opc)
	set -l root
	set -l i 2
	while test $i -le (count $tokens)
		# the last --root, none after --; --ro and --roo as getopt_long
		switch $tokens[$i]
			case --
				break
			case --ro --roo --root
				set i (math $i + 1)
				set -q tokens[$i]; and set root $tokens[$i]
			case '--ro=*' '--roo=*' '--root=*'
				set root (string replace -r -- '^[^=]*=' '' $tokens[$i])
		end
		set i (math $i + 1)
	end
	# ~ and ~USER as the shell reads them; quoted: one word, also when empty
	set -l user (string match -r -- '^~([^/]+)' "$root")
	if set -q user[2]
		set -l home (getent passwd $user[2] 2>/dev/null | string split :)
		set -q home[6]; and set root (string replace -- $user[1] $home[6] "$root")
	end
	string replace -r -- '^~(?=/|$)' $HOME "$root"
end

# Whether the line gives a --root other than /: a FILE or DIR is then a path
# of the system under it
function __vfio_utils_rooted
	set -l root (__vfio_utils_root | string replace -r -- '/+$' '')
	test -n "$root"
end

# __vfio_utils_files [-d] [SUFFIX]: the FILEs ending in SUFFIX (with -d the
# DIRs) that the word names, and the directories on the way, with their /:
# in the system under the root, from its top whether the word starts with
# / or not, as the tools take them; without a root, of this system
function __vfio_utils_files
	set -l dirs
	if test "$argv[1]" = -d
		set dirs 1
		set -e argv[1]
	end
	set -l suffix $argv[1]
	set -l root (__vfio_utils_root | string replace -r -- '/+$' '')
	set -l raw (commandline -ct | string replace -r -- '^--[a-z-]+=' '')
	if test -z "$root"
		if set -q dirs[1]
			__fish_complete_directories "$raw"
		else
			# fish's own file completion, but only the files ending
			# in SUFFIX and the directories, as bash offers them
			__fish_complete_suffix "$raw" $suffix |
				string match -r -- '^[^\t]*('(string escape --style=regex -- $suffix)'|/)(\t.*)?$'
		end
		return
	end
	# the word as the tool gets it: quotes and backslashes taken off
	set -l word (string unescape -- "$raw")
	set -l top $root/
	set -l lead ''
	string match -q -- '/*' "$word"; and set lead /
	set -l found $top(string replace -r -- '^/+' '' "$word")*
	for f in $found
		set -l name $lead(string sub -s (math (string length -- "$top") + 1) -- $f)
		if test -d $f
			echo $name/
		else if test -z "$dirs"; and string match -q -- "*$suffix" $name
			echo $name
		end
	end
end

# __vfio_utils_pci [addresses] [slots] [ids]: PCI addresses, the slots of the
# cards of several functions, the vendor:device IDs present; short addresses
# for domain 0000 unless the word typed starts with a domain
function __vfio_utils_pci
	set -l root (__vfio_utils_root)
	set -l word (commandline -ct | string replace -r -- '^(-[a-zA-Z]|--[a-z-]+=|(vfio-pci|vfio_pci)\.ids=([^,]*,)*)' '')
	set -l full 0
	string match -qr -- '^[[:xdigit:]]{4}:' "$word"; and set full 1
	set -l names
	if command -q iommu-groups
		set -l opt
		test -n "$root"; and set opt --root=$root
		set names (iommu-groups $opt -D 2>/dev/null | string replace -rf '^IOMMU Group \d+: (\S+) ' '$1\t')
	end
	set -l devs $root/sys/bus/pci/devices/*
	begin
		set -q names[1]; and string join \n -- $names
		echo =
		set -q devs[1]; and string replace -r -- '.*/' '' $devs
	end | awk -F '\t' -v root="$root" -v full=$full -v want="$argv" '
	BEGIN {
		split(want, w, " ")
		for (i in w)
			on[w[i]] = 1
		x = "[0-9a-f]"
		idre = "\\[" x x x x ":" x x x x "\\]"
	}
	!sep {
		if ($0 == "=")
			sep = 1
		else
			name[$1] = $2
		next
	}
	{
		a = $1; d = name[a]; id = ""
		if (d == "" && on["ids"]) {
			f = root "/sys/bus/pci/devices/" a
			if ((getline v < (f "/vendor")) > 0 && (getline dv < (f "/device")) > 0)
				id = substr(v, 3) ":" substr(dv, 3)
			close(f "/vendor")
			close(f "/device")
		}
		s = a
		if (!full && substr(a, 1, 5) == "0000:")
			s = substr(a, 6)
		if (on["addresses"])
			printf "%s\t%s\n", s, d
		sub(/\.[^.]*$/, "", s)
		if (!(s in nfunc)) {
			slot[++nslots] = s
			first[s] = d
		}
		nfunc[s]++
		if (id == "") {
			t = d
			while (match(t, idre)) {
				id = substr(t, RSTART + 1, 9)
				t = substr(t, RSTART + RLENGTH)
			}
		}
		if (id == "")
			next
		short = substr(a, 1, 5) == "0000:" ? substr(a, 6) : a
		if (id in idaddrs) {
			idaddrs[id] = idaddrs[id] " " short
			idn[id]++
		} else {
			ids[++nids] = id
			idaddrs[id] = short
			iddesc[id] = d
			idn[id] = 1
		}
	}
	END {
		for (i = 1; on["slots"] && i <= nslots; i++) {
			s = slot[i]
			if (nfunc[s] > 1)
				printf "%s\tevery function (%d)%s\n", s, nfunc[s],
				    first[s] == "" ? "" : ": " first[s]
		}
		for (i = 1; on["ids"] && i <= nids; i++) {
			id = ids[i]
			d = iddesc[id]
			if (idn[id] > 1)
				d = d (d == "" ? "" : " ") "(" idaddrs[id] ")"
			printf "%s\t%s\n", id, d
		}
	}'
end

# IOMMU group numbers, with their devices
function __vfio_utils_groups
	set -l root (__vfio_utils_root)
	for g in $root/sys/kernel/iommu_groups/*
		set -l devs $g/devices/*
		set -q devs[1]; and set devs (string replace -r '.*/(0000:)?' '' -- $devs)
		printf '%s\t%s\n' (string replace -r '.*/' '' -- $g) "$devs"
	end
end

# Kernel releases with a modules directory
function __vfio_utils_kernels
	set -l root (__vfio_utils_root)
	set -l dirs $root/lib/modules/*/ $root/usr/lib/modules/*/
	set -q dirs[1]; and string replace -r '.*/([^/]+)/$' '$1' -- $dirs | sort -u
end

# BLS boot entries: those of the --bls=DIR on the line (from the root's
# top), else of loader/entries in /boot, /efi and /boot/efi
function __vfio_utils_entries
	set -l root (__vfio_utils_root)
	set -l bls
	set -l tokens (commandline -opc)
	set -e tokens[1]
	for t in $tokens
		switch $t
			case --
				break
			case '--bls=*'
				set bls (string replace -- --bls= '' $t)
		end
	end
	set -l files
	if test -n "$bls"
		test -n "$root"; and set bls $root/(string replace -r -- '^/+' '' $bls)
		set files $bls/*.conf
	else
		set files $root/boot/loader/entries/*.conf $root/efi/loader/entries/*.conf $root/boot/efi/loader/entries/*.conf
	end
	for f in $files
		test -f $f; and string replace -r '.*/(.*)\.conf$' '$1' -- $f
	end | sort -u
end

# The keys on the lines kcmdline-edit --list reports the machine boots, for
# the targets on the line, with the parameters that have the key
function __vfio_utils_params
	command -q kcmdline-edit; or return
	set -l root (__vfio_utils_root)
	set -l opt
	test -n "$root"; and set opt --root=$root
	set -l tokens (commandline -opc)
	set -l i 2
	while test $i -le (count $tokens)
		switch $tokens[$i]
			case --grub --bls --kernel-cmdline --refind '--grub=*' '--bls=*' '--kernel-cmdline=*' '--refind=*' '--entry=*' '--grub-var=*'
				set -a opt $tokens[$i]
			case --entry --grub-var
				set -a opt $tokens[$i..(math $i + 1)]
				set i (math $i + 1)
		end
		set i (math $i + 1)
	end
	kcmdline-edit $opt --list 2>/dev/null |
		string replace -rf '^.*: (boots|normal entries boot): ' '' |
		string split ' ' | awk 'NF {
			k = $0
			sub(/=.*/, "", k)
			if (!(k in on))
				key[++n] = k
			on[k] = on[k] == "" ? $0 : on[k] " " $0
		}
		END {
			for (i = 1; i <= n; i++)
				printf "%s\t%s\n", key[i], on[key[i]] == key[i] ? "" : on[key[i]]
		}'
end

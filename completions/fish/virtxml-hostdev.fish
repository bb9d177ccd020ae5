# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for virtxml-hostdev(1)
functions -q __vfio_utils_pci; or source (string replace -r -- '[^/]*$' '' (status filename))__vfio_utils.fish
# How many words before the cursor are no option nor an option's value
function __virtxml_hostdev_args
	set -l n 0
	set -l skip 0
	for w in (commandline -opc)[2..-1]
		if test $skip = 1
			set skip 0
			continue
		end
		switch $w
			case --root --rom
				set skip 1
			case '-*'
			case '*'
				set n (math $n + 1)
		end
	end
	echo $n
end
# DEVICE first (not with --remove), then FILE: on this system, or from the top of the --root DIR
complete -c virtxml-hostdev -f -k -n 'not __fish_seen_argument -l remove; and test (__virtxml_hostdev_args) = 0' -a '(__vfio_utils_pci addresses slots ids)'
complete -c virtxml-hostdev -f -k -n '__fish_seen_argument -l remove; or test (__virtxml_hostdev_args) -ge 1' -a '(__vfio_utils_files .xml)'
complete -c virtxml-hostdev -s i -l in-place -d 'Edit FILE instead of writing standard output'
complete -c virtxml-hostdev -l rom -r -F -d 'A <rom file=FILE/> on the display functions'
complete -c virtxml-hostdev -l no-multifunction -d 'No multifunction on function 0'
complete -c virtxml-hostdev -l force -d 'Add despite the refusals'
complete -c virtxml-hostdev -l fix -d 'Move the card to one guest slot'
complete -c virtxml-hostdev -l remove -d 'Take out what this tool added'
complete -c virtxml-hostdev -s n -l dry-run -d 'Show the change as a diff'
complete -c virtxml-hostdev -l check -d 'Exit 0 if nothing needs to change'
complete -c virtxml-hostdev -l backup -d 'With -i: keep FILE.bak'
complete -c virtxml-hostdev -s J -l json -d 'With -i: print what was done as JSON'
complete -c virtxml-hostdev -l root -x -a '(__fish_complete_directories)' -d 'The devices and FILE of the system under this directory'
complete -c virtxml-hostdev -s h -l help -d 'Show help'
complete -c virtxml-hostdev -s V -l version -d 'Show version'

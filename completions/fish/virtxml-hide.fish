# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for virtxml-hide(1)
functions -q __vfio_utils_pci; or source (string replace -r -- '[^/]*$' '' (status filename))__vfio_utils.fish
# FILE: on this system, or from the top of the --root DIR on the line
complete -c virtxml-hide -f -k -a '(__vfio_utils_files .xml)'
complete -c virtxml-hide -s i -l in-place -d 'Edit FILE instead of writing standard output'
complete -c virtxml-hide -l vendor-id -x -d 'The Hyper-V vendor id, 1 to 12 characters'
complete -c virtxml-hide -l no-vendor-id -d 'Leave <hyperv> alone'
complete -c virtxml-hide -l no-kvm-hidden -d 'Leave <kvm> alone'
complete -c virtxml-hide -l cpu-hypervisor-off -d 'Also clear the CPUID hypervisor bit'
complete -c virtxml-hide -l remove -d 'Take out what the same options put in'
complete -c virtxml-hide -s n -l dry-run -d 'Show the change as a diff'
complete -c virtxml-hide -l check -d 'Exit 0 if nothing needs to change'
complete -c virtxml-hide -l backup -d 'With -i: keep FILE.bak'
complete -c virtxml-hide -s J -l json -d 'With -i: print what was done as JSON'
complete -c virtxml-hide -l root -x -a '(__fish_complete_directories)' -d 'FILE is a path in the system under this directory'
complete -c virtxml-hide -s h -l help -d 'Show help'
complete -c virtxml-hide -s V -l version -d 'Show version'

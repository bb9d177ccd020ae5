# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for vfio-bind(1)
functions -q __vfio_utils_pci; or source (string replace -r -- '[^/]*$' '' (status filename))__vfio_utils.fish
complete -c vfio-bind -f -a '(__vfio_utils_pci addresses slots ids)'
complete -c vfio-bind -l unbind -d 'Give the functions back to the host'
complete -c vfio-bind -l persist -d 'Write the boot configuration'
complete -c vfio-bind -l now -d 'With --persist: also bind now'
complete -c vfio-bind -l ignore-msrs -d 'With --persist: also set kvm ignore_msrs=1'
complete -c vfio-bind -s n -l dry-run -d 'Show what would change'
complete -c vfio-bind -l check -d 'Exit 0 if already done'
complete -c vfio-bind -l force -d 'Bind despite the refusals'
complete -c vfio-bind -l stop-holders -d 'End the processes holding the device nodes first'
complete -c vfio-bind -l handover -d 'Take the boot GPU from the host, recorded for --giveback'
complete -c vfio-bind -l giveback -d 'Give back what --handover recorded'
complete -c vfio-bind -l libvirt-hook -d "Run as libvirt's qemu hook"
complete -c vfio-bind -l backup -d 'Keep FILE.bak of replaced files'
complete -c vfio-bind -l list -d 'List devices on vfio-pci'
complete -c vfio-bind -s i -r -F -d 'PCI ID database, as lspci -i'
complete -c vfio-bind -s J -l json -d 'Print what was done as JSON'
complete -c vfio-bind -l root -x -a '(__fish_complete_directories)' -d 'Work on the system under this directory'
complete -c vfio-bind -s h -l help -d 'Show help'
complete -c vfio-bind -s V -l version -d 'Show version'

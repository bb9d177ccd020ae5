# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for kcmdline-edit(1)
functions -q __vfio_utils_pci; or source (string replace -r -- '[^/]*$' '' (status filename))__vfio_utils.fish
# The parameters passthrough needs, and the IDs present after vfio-pci.ids=
function __kcmdline_edit_add
	set -l word (commandline -ct | string replace -r -- '^(-a|--add=)' '')
	set -l ids (string match -r -- '^(?:vfio-pci|vfio_pci)\.ids=(?:[^,]*,)*' "$word")
	if set -q ids[1]
		__vfio_utils_pci ids | string replace -r -- '^' $ids
		return
	end
	printf '%s\t%s\n' \
		intel_iommu=on 'Turn the IOMMU of an Intel CPU (VT-d) on' \
		amd_iommu=on 'AMD-Vi, on by default where the firmware enables it' \
		iommu=pt 'IOMMU passthrough mode for the host\'s own devices' \
		video=efifb:off 'Keep the EFI framebuffer off the boot GPU' \
		kvm.ignore_msrs=1 'Ignore the MSRs KVM does not know' \
		vfio-pci.ids= 'Bind these vendor:device IDs to vfio-pci at boot'
end
complete -c kcmdline-edit -f
# FILE and DIR: on this system, or from the top of the --root DIR on the line
complete -c kcmdline-edit -s a -l add -x -a '(__kcmdline_edit_add)' -d 'Add a parameter or give it this value'
complete -c kcmdline-edit -s d -l remove -x -a '(__vfio_utils_params)' -d 'Remove a parameter'
complete -c kcmdline-edit -l iommu -d 'Add what turns the IOMMU on for this CPU'
complete -c kcmdline-edit -l cpu -x -a 'intel amd' -d 'With --iommu: for this CPU'
complete -c kcmdline-edit -s l -l list -d 'List the parameters'
complete -c kcmdline-edit -s J -l json -d 'Print what was done as JSON'
complete -c kcmdline-edit -s n -l dry-run -d 'Show the change as a diff'
complete -c kcmdline-edit -l check -d 'Exit 0 if already as asked'
complete -c kcmdline-edit -l backup -d 'Keep FILE.bak of replaced files'
complete -c kcmdline-edit -l regen -d 'Run the command that makes it take effect'
complete -c kcmdline-edit -l grub -d 'Edit /etc/default/grub or FILE'
complete -c kcmdline-edit -l grub -n 'string match -q -- "--grub=*" (commandline -ct); and not __vfio_utils_rooted' -r -F
complete -c kcmdline-edit -l grub -n 'string match -q -- "--grub=*" (commandline -ct); and __vfio_utils_rooted' -x -a '(__vfio_utils_files)'
complete -c kcmdline-edit -l grub-var -x -a 'linux default' -d 'The GRUB variable'
complete -c kcmdline-edit -l bls -d 'Edit the BLS entries'
complete -c kcmdline-edit -l bls -n 'string match -q -- "--bls=*" (commandline -ct)' -x -a '(__vfio_utils_files -d)'
complete -c kcmdline-edit -l entry -x -a '(__vfio_utils_entries)' -d 'Only this boot entry'
complete -c kcmdline-edit -l kernel-cmdline -d 'Edit /etc/kernel/cmdline or FILE'
complete -c kcmdline-edit -l kernel-cmdline -n 'string match -q -- "--kernel-cmdline=*" (commandline -ct); and not __vfio_utils_rooted' -r -F
complete -c kcmdline-edit -l kernel-cmdline -n 'string match -q -- "--kernel-cmdline=*" (commandline -ct); and __vfio_utils_rooted' -x -a '(__vfio_utils_files)'
complete -c kcmdline-edit -l refind -d 'Edit refind_linux.conf or FILE'
complete -c kcmdline-edit -l refind -n 'string match -q -- "--refind=*" (commandline -ct); and not __vfio_utils_rooted' -r -F
complete -c kcmdline-edit -l refind -n 'string match -q -- "--refind=*" (commandline -ct); and __vfio_utils_rooted' -x -a '(__vfio_utils_files)'
complete -c kcmdline-edit -l root -x -a '(__fish_complete_directories)' -d 'Work on the system under this directory'
complete -c kcmdline-edit -s h -l help -d 'Show help'
complete -c kcmdline-edit -s V -l version -d 'Show version'

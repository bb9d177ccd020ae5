# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for kcmdline-edit(1)
set -l __kcmdline_params intel_iommu=on iommu=pt vfio-pci.ids= video=efifb:off kvm.ignore_msrs=1
complete -c kcmdline-edit -f
complete -c kcmdline-edit -s a -l add -x -a "$__kcmdline_params" -d 'Add a parameter or give it this value'
complete -c kcmdline-edit -s d -l remove -x -a "$__kcmdline_params" -d 'Remove a parameter'
complete -c kcmdline-edit -l iommu -d 'Add what turns the IOMMU on for this CPU'
complete -c kcmdline-edit -l cpu -x -a 'intel amd' -d 'With --iommu: for this CPU'
complete -c kcmdline-edit -s l -l list -d 'List the parameters'
complete -c kcmdline-edit -s J -l json -d 'Print what was done as JSON'
complete -c kcmdline-edit -s n -l dry-run -d 'Show the change as a diff'
complete -c kcmdline-edit -l check -d 'Exit 0 if already as asked'
complete -c kcmdline-edit -l backup -d 'Keep FILE.bak of replaced files'
complete -c kcmdline-edit -l regen -d 'Run the command that makes it take effect'
complete -c kcmdline-edit -l grub -d 'Edit /etc/default/grub or FILE'
complete -c kcmdline-edit -l grub-var -x -a 'linux default' -d 'The GRUB variable'
complete -c kcmdline-edit -l bls -d 'Edit the BLS entries'
complete -c kcmdline-edit -l entry -x -a '(path basename -E .conf /boot/loader/entries/*.conf /efi/loader/entries/*.conf /boot/efi/loader/entries/*.conf 2>/dev/null)' -d 'Only this boot entry'
complete -c kcmdline-edit -l kernel-cmdline -d 'Edit /etc/kernel/cmdline or FILE'
complete -c kcmdline-edit -l refind -d 'Edit refind_linux.conf or FILE'
complete -c kcmdline-edit -l root -x -a '(__fish_complete_directories)' -d 'Work on the system under this directory'
complete -c kcmdline-edit -s h -l help -d 'Show help'
complete -c kcmdline-edit -s V -l version -d 'Show version'

# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for initramfs-vfio(1)
functions -q __vfio_utils_pci; or source (string replace -r -- '[^/]*$' '' (status filename))__vfio_utils.fish
complete -c initramfs-vfio -f
complete -c initramfs-vfio -s g -l generator -x -a 'mkinitcpio dracut initramfs-tools booster' -d 'Only this generator'
complete -c initramfs-vfio -s k -l kernel -x -a '(__vfio_utils_kernels)' -d 'Choose the modules for this kernel'
complete -c initramfs-vfio -l drop-in -d 'mkinitcpio: write a drop-in'
complete -c initramfs-vfio -l remove -d 'Take out what was added'
complete -c initramfs-vfio -s n -l dry-run -d 'Show what would change'
complete -c initramfs-vfio -l check -d 'Exit 0 if already set up'
complete -c initramfs-vfio -l backup -d 'Keep FILE.bak of replaced files'
complete -c initramfs-vfio -l regen -d 'Rebuild the images afterwards'
complete -c initramfs-vfio -s J -l json -d 'Print what was done as JSON'
complete -c initramfs-vfio -l root -x -a '(__fish_complete_directories)' -d 'Work on the system under this directory'
complete -c initramfs-vfio -s h -l help -d 'Show help'
complete -c initramfs-vfio -s V -l version -d 'Show version'

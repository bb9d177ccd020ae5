# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for iommu-groups(1)
functions -q __vfio_utils_pci; or source (string replace -r -- '[^/]*$' '' (status filename))__vfio_utils.fish
complete -c iommu-groups -f
complete -c iommu-groups -l tree -d 'Group headers with the devices below'
complete -c iommu-groups -l slots -d 'The physical slots: port, own group or not, what is there'
complete -c iommu-groups -s k -l kernel -d 'Show the driver in use and driver_override'
complete -c iommu-groups -s D -l domains -d 'Always show PCI domains'
complete -c iommu-groups -s v -l verbose -d 'Show boot_vga, reset methods and isolation'
complete -c iommu-groups -s g -l group -x -a '(__vfio_utils_groups)' -d 'Only this IOMMU group'
complete -c iommu-groups -s s -l slot -x -a '(__vfio_utils_pci addresses slots)' -d 'Only matching addresses'
complete -c iommu-groups -s d -l device -x -a '(__vfio_utils_pci ids)' -d 'Only matching vendor:device[:class]'
complete -c iommu-groups -l gpu -d 'Only groups holding a function of a display card'
complete -c iommu-groups -l why -d 'Why each group is shared: ACS, bridges, multifunction, quirks'
complete -c iommu-groups -s n -d 'Accepted as lspci -n/-nn: the output is always the -nn form'
complete -c iommu-groups -s i -r -F -d 'PCI ID database, as lspci -i'
complete -c iommu-groups -s J -l json -d 'Print JSON'
complete -c iommu-groups -l root -x -a '(__fish_complete_directories)' -d 'Read /sys under this directory'
complete -c iommu-groups -s h -l help -d 'Show help'
complete -c iommu-groups -s V -l version -d 'Show version'

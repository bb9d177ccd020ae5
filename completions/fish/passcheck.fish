# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for passcheck(1)
functions -q __vfio_utils_pci; or source (string replace -r -- '[^/]*$' '' (status filename))__vfio_utils.fish
complete -c passcheck -f -a '(__vfio_utils_pci addresses slots ids)'
complete -c passcheck -s q -l quiet -d 'Print only WARN and FAIL lines'
complete -c passcheck -s i -r -F -d 'PCI ID database, as lspci -i'
complete -c passcheck -s J -l json -d 'Print JSON'
complete -c passcheck -l xml -x -a '(__vfio_utils_files .xml)' -d 'Also check this libvirt domain XML'
complete -c passcheck -l root -x -a '(__fish_complete_directories)' -d 'Check the system under this directory'
complete -c passcheck -s h -l help -d 'Show help'
complete -c passcheck -s V -l version -d 'Show version'

# FAT cannot hold sparse files: the data file is zero-filled (§12.5), keep it small.
set -- vfat /dev/vdc 256M

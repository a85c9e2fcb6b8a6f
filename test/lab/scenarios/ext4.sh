set -- ext4 /dev/vda 512M

set -- jfs /dev/vdb 512M

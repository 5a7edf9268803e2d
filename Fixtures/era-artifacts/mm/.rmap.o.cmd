cmd_mm/rmap.o := arm-linux-gnueabi-gcc -Wp,-MD,mm/.rmap.o.d -nostdinc -c -o mm/rmap.o mm/rmap.c

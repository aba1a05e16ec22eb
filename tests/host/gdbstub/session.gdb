# A real gdb-multiarch against the RSP engine on the simulated machine
# (run.sh checks the output between the @@ markers).
set architecture aarch64
set confirm off
target extended-remote | build/test/host/gdbstub/rsp_server
echo @@ threads\n
info threads
echo @@ regs\n
info registers x0 x1 sp pc
echo @@ mem\n
x/2xw 0x200000
echo @@ break\n
break *0x200010
continue
echo @@ step\n
stepi
p/x $pc
echo @@ write\n
set var *(unsigned int *)0x210000 = 0x1234
x/xw 0x210000
echo @@ watch\n
delete
watch *(long *)0x210008
continue
echo @@ thread2\n
thread 2.1
p/x $x0
x/xw 0x200000
echo @@ monitor\n
monitor echo from the stub
echo @@ detach\n
detach inferiors 1 2
echo @@ end\n

#
# Headers every architecture's uapi asm/ has, from asm-generic unless its own.
#
mandatory-y += poll.h

#include <linux/stddef.h>

int main(void)
{
	OFFSET(TI_flags, thread_info, flags);
	BLANK();
	DEFINE(SIZEOF_thread_info, sizeof(struct thread_info));
	return 0;
}

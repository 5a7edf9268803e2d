/* modpost output: a use in here is not one. */
static void *unused = (void *)ptep_clear_flush_notify;

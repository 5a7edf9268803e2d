/* A generated file that names the macro: not source, never a use. */
#define generated_clear(v, a, p) ptep_clear_flush_notify(v, a, p)

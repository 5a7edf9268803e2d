#ifndef _ASM_X86_TOPOLOGY_H
#define _ASM_X86_TOPOLOGY_H

/* Nothing here: CONFIG_USE_PERCPU_NUMA_NODE_ID gives cpu_to_node(). */

#endif

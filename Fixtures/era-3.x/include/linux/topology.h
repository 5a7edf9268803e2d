#ifndef _LINUX_TOPOLOGY_H
#define _LINUX_TOPOLOGY_H

#include <asm/topology.h>

/* x86 lets the generic code keep the node of each cpu. */
#ifdef CONFIG_USE_PERCPU_NUMA_NODE_ID
extern int numa_node;
static inline int cpu_to_node(int cpu)
{
	return numa_node;
}
#endif

static inline int numa_node_id(void)
{
	return cpu_to_node(0);
}

#endif

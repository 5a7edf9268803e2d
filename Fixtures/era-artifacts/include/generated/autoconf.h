/*
 * Automatically generated C config: don't edit
 * Linux/arm 3.0.8 Kernel Configuration
 */
#define CONFIG_ARM 1
#define CONFIG_MMU 1
#define CONFIG_HIGHMEM 1
#define CONFIG_ZONE_DMA 1
#define CONFIG_ZONE_DMA32 1
#define CONFIG_NR_CPUS 2

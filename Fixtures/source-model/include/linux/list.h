/* SPDX-License-Identifier: GPL-2.0 */
/* A doubly linked list and its iterator macros, as kernel headers shape them. */
#ifndef _LINUX_LIST_H
#define _LINUX_LIST_H

struct list_head {
	struct list_head *next, *prev;
};

#define offsetof(TYPE, MEMBER)	__builtin_offsetof(TYPE, MEMBER)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member) container_of(ptr, type, member)

#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

/* An iterator whose header has no init part, like the older rmap ones. */
#define list_for_each_from(pos, head)					\
	for (; pos != (head); pos = pos->next)

#endif /* _LINUX_LIST_H */

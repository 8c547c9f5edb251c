/* Golden layout check compiled as C99 by the C compiler: the C view of every v1 struct must match
 * the numbers in golden_layout.inc. Prints each mismatch; exits non-zero when there is one. It is
 * built twice, against the current headers and against the frozen v1.0 copy. */
#include <holon/holon_plugin.h>

#include <stdio.h>
#include <string.h>

#define ALIGNOF(type) offsetof(struct { char c; type t; }, t)

static int failures = 0;

static void expect(const char *what, size_t actual, size_t expected) {
    if (actual != expected) {
        printf("MISMATCH %s: %lu, golden %lu\n", what, (unsigned long)actual, (unsigned long)expected);
        ++failures;
    }
}

int main(void) {
    int checked = 0;
#if !defined(__x86_64__)
    printf("golden layouts are for x86_64; skipped\n");
    return 77;
#endif
#define HOLON_GOLDEN_SIZE(type, size, align)                  \
    expect("sizeof(" #type ")", sizeof(type), size);          \
    expect("alignof(" #type ")", ALIGNOF(type), align);       \
    ++checked;
#define HOLON_GOLDEN_OFFSET(type, field, offset)              \
    expect("offsetof(" #type ", " #field ")", offsetof(type, field), offset); \
    ++checked;
#define HOLON_GOLDEN_VALUE(macro, value)                      \
    expect(#macro, (size_t)(macro), (size_t)(value));         \
    ++checked;
#include "golden_layout.inc"
#include "golden_values.inc"
    expect("HOLON_PLUGIN_ENTRY_SYMBOL", strcmp(HOLON_PLUGIN_ENTRY_SYMBOL, "holon_plugin_entry"), 0);
    expect("HOLON_FACTORY_METHODS", strcmp(HOLON_FACTORY_METHODS, "holon.method-factory/1"), 0);
    expect("HOLON_EXT_INVOKE", strcmp(HOLON_EXT_INVOKE, "holon.invoke/1"), 0);
    printf("%d golden entries checked, %d mismatches\n", checked, failures);
    return failures == 0 ? 0 : 1;
}

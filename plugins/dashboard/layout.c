/* Placement on CloudWatch's dashboard grid: 24 columns, rows of any number.
 * Every row starts below the previous one, so no two widgets can overlap
 * however many functions there are. */
#include "dashboard.h"

void dash_layout_row(int y, int height, size_t count, dash_rect *out) {
    if (count == 0) return;
    if (count > DASH_GRID_COLUMNS) count = DASH_GRID_COLUMNS;
    int base = DASH_GRID_COLUMNS / (int)count, spare = DASH_GRID_COLUMNS % (int)count, x = 0;
    for (size_t i = 0; i < count; i++) {
        int width = base + ((int)i < spare ? 1 : 0);
        out[i] = (dash_rect){x, y, width, height};
        x += width;
    }
}

int dash_layout_text_height(size_t lines) {
    size_t h = lines + 1;
    if (h < 2) h = 2;
    if (h > DASH_MAX_WIDGET_HEIGHT) h = DASH_MAX_WIDGET_HEIGHT;
    return (int)h;
}

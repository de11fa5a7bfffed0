int native_answer(void) { return 6 * 7; }

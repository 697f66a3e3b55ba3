#ifndef USER_H
#define USER_H
struct count {
    int count;
    int size;
    int (*reset)(void);
};
enum { limit = 8 };
int user_run(struct count *c, int total);
#endif

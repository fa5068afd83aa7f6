/* clock.c prints the clock rate of one core in GHz, measured as the rate of
   a chain of dependent integer additions (one per cycle on x86-64): the
   best of five runs of 2e9 additions. make bench uses it for the FMA peak. */
#include <stdio.h>
#include <time.h>

int main(void) {
	double best = 0;
	for (int rep = 0; rep < 5; rep++) {
		struct timespec a, b;
		long n = 2000000000L, x = 0;
		clock_gettime(CLOCK_MONOTONIC, &a);
#if defined(__x86_64__)
		__asm__ volatile(
			"1:\n\t"
			"add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
			"add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
			"sub $8, %1\n\tjnz 1b\n\t"
			: "+r"(x), "+r"(n));
#else
		return 1;
#endif
		clock_gettime(CLOCK_MONOTONIC, &b);
		double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
		if (2.0 / s > best)
			best = 2.0 / s;
	}
	printf("%.2f\n", best);
	return 0;
}

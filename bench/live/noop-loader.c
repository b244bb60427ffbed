// Loads and attaches noop.bpf.o (see there), prints "attached" and waits until killed.
//   noop-loader OBJECT
#include <bpf/libbpf.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: noop-loader OBJECT\n");
		return 2;
	}
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "noop-loader: cannot load %s\n", argv[1]);
		return 1;
	}
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "vigil_noop");
	if (!prog || !bpf_program__attach(prog)) {
		fprintf(stderr, "noop-loader: cannot attach vigil_noop\n");
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	pause();
	return 0;
}

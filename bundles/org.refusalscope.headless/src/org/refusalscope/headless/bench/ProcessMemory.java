package org.refusalscope.headless.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory of this process from {@code /proc/self/status} (VmHWM), the figure {@code bench} reports per
 * row. Linux lets a process reset its own peak ({@code echo 5 > /proc/self/clear_refs}), so a row's peak is the peak
 * of that row and not of whatever ran before it in the same child JVM.
 */
public final class ProcessMemory {

	private static final Path STATUS = Path.of("/proc/self/status");

	private ProcessMemory() {
	}

	/** VmHWM in MiB, or -1 where /proc is not available. */
	public static double peakMb() {
		return field("VmHWM:");
	}

	/** RssAnon in MiB (resident memory not backed by files, e.g. engine tensors), or -1. */
	public static double anonMb() {
		return field("RssAnon:");
	}

	/** VmRSS in MiB, or -1. */
	public static double currentMb() {
		return field("VmRSS:");
	}

	/** Resets the peak to the current resident size; false where the kernel does not allow it. */
	public static boolean resetPeak() {
		try {
			Files.writeString(Path.of("/proc/self/clear_refs"), "5");
			return true;
		} catch(IOException | UnsupportedOperationException e) {
			return false;
		}
	}

	private static double field(String name) {
		try {
			for(String line : Files.readAllLines(STATUS)) {
				if(line.startsWith(name)) {
					String[] parts = line.substring(name.length()).trim().split("\\s+");
					return Math.round(Long.parseLong(parts[0]) / 1024.0 * 10) / 10.0;
				}
			}
		} catch(IOException | RuntimeException e) {
			// not Linux: the report carries -1
		}
		return -1;
	}
}

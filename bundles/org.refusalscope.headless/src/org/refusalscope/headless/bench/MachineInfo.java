package org.refusalscope.headless.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;

/** The machine a report came from: CPU model, cores, memory, load average (Linux /proc). */
final class MachineInfo {

	private MachineInfo() {
	}

	static JsonObject describe() {
		JsonObject machine = new JsonObject();
		machine.addProperty("cpu", cpuModel());
		machine.addProperty("cores", Runtime.getRuntime().availableProcessors());
		machine.addProperty("mem_total_mb", memTotalMb());
		machine.addProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		machine.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
		return machine;
	}

	static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return parts[0] + " " + parts[1] + " " + parts[2];
		} catch(IOException | RuntimeException e) {
			return "unknown";
		}
	}

	private static String cpuModel() {
		try {
			for(String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if(line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		} catch(IOException e) {
			// not Linux
		}
		return System.getProperty("os.arch");
	}

	private static long memTotalMb() {
		try {
			for(String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if(line.startsWith("MemTotal:")) {
					return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
				}
			}
		} catch(IOException | RuntimeException e) {
			// not Linux
		}
		return -1;
	}
}

package org.refusalscope.headless.bench;

import java.util.Arrays;

import com.google.gson.JsonObject;

/** Median and spread of repeated measurements (rates, so that the report can say "median, min, max"). */
public record Stats(double median, double min, double max, int n) {

	public static Stats of(double[] values) {
		if(values.length == 0) {
			throw new IllegalArgumentException("no measurements");
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int mid = sorted.length / 2;
		double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
		return new Stats(median, sorted[0], sorted[sorted.length - 1], sorted.length);
	}

	/** Rates {@code work / seconds[i]} of timed repeats. */
	public static Stats rates(double work, double[] seconds) {
		double[] rates = new double[seconds.length];
		for(int i = 0; i < seconds.length; i++) {
			rates[i] = work / seconds[i];
		}
		return of(rates);
	}

	/** Writes {@code <prefix>}, {@code <prefix>_min}, {@code <prefix>_max} into {@code row}. */
	public void put(JsonObject row, String prefix) {
		row.addProperty(prefix, round(median));
		row.addProperty(prefix + "_min", round(min));
		row.addProperty(prefix + "_max", round(max));
	}

	static double round(double value) {
		if(value == 0 || !Double.isFinite(value)) {
			return value;
		}
		double scale = Math.pow(10, 3 - Math.ceil(Math.log10(Math.abs(value))));
		return Math.round(value * scale) / scale;
	}
}

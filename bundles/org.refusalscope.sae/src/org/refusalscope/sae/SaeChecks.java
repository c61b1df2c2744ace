package org.refusalscope.sae;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.refusalscope.api.TensorView;

/** Validation shared by the SAE providers; every message names the file and the tensor. */
public final class SaeChecks {

	/** Tensors up to this many elements are scanned fully for NaN/Inf; larger ones are sampled. */
	public static final long FULL_SCAN_LIMIT = 4L << 20;
	/** Number of evenly strided elements sampled from a large tensor (plus its first and last row). */
	public static final int SAMPLES = 1 << 20;

	private SaeChecks() {
	}

	public static void checkShape(String file, String tensor, long[] actual, long... expected) throws IOException {
		if(!Arrays.equals(actual, expected)) {
			throw new IOException(file + ": tensor " + tensor + " has shape " + Arrays.toString(actual) + ", expected "
					+ Arrays.toString(expected));
		}
	}

	/** Fails when the SAE's input width differs from the model's hidden size ({@code dModel} 0 = unknown). */
	public static void checkDModel(String file, String tensor, long dIn, int dModel) throws IOException {
		if(dModel > 0 && dIn != dModel) {
			throw new IOException(file + ": tensor " + tensor + " expects d_in=" + dIn + " but the model has d_model="
					+ dModel + " (SAE for a different model?)");
		}
	}

	/**
	 * Fails on the first NaN or infinite value. Small tensors (biases, thresholds, small SAEs) are scanned fully;
	 * tensors over {@link #FULL_SCAN_LIMIT} elements are sampled ({@link #SAMPLES} strided elements plus the first and
	 * last row) so that opening a 1.2 GB SAE does not page in all of it.
	 *
	 * @return true when every element was checked, false when sampled
	 */
	public static boolean checkFinite(String file, TensorView tensor) throws IOException {
		long count = tensor.elementCount();
		if(count <= FULL_SCAN_LIMIT) {
			float[] values = tensor.toFloatArray();
			for(int i = 0; i < values.length; i++) {
				if(!Float.isFinite(values[i])) {
					throw notFinite(file, tensor, i, values[i]);
				}
			}
			return true;
		}
		long row = tensor.shape().length > 1 ? count / tensor.shape()[0] : 1;
		long stride = Math.max(1, count / SAMPLES);
		ByteBuffer data = tensor.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
		TensorView view = new TensorView(tensor.name(), tensor.dtype(), tensor.shape(), data);
		for(long i = 0; i < count; i += stride) {
			checkElement(file, view, i);
		}
		for(long i = 0; i < Math.min(row, count); i++) {
			checkElement(file, view, i);
			checkElement(file, view, count - 1 - i);
		}
		return false;
	}

	private static void checkElement(String file, TensorView view, long index) throws IOException {
		float value = view.getFloat(index);
		if(!Float.isFinite(value)) {
			throw notFinite(file, view, index, value);
		}
	}

	private static IOException notFinite(String file, TensorView tensor, long index, float value) {
		return new IOException(file + ": tensor " + tensor.name() + " holds " + value + " at flat index " + index
				+ " (shape " + Arrays.toString(tensor.shape()) + ")");
	}
}

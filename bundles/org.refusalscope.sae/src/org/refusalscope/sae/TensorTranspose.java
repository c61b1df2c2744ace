package org.refusalscope.sae;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.refusalscope.api.TensorView;

/**
 * Materialises the transpose of a 2-D tensor, keeping its dtype (a bf16 Llama Scope matrix stays bf16). Used where a
 * format stores {@code nn.Linear} weights {@code [out, in]} but {@link org.refusalscope.api.sae.SaeWeights} wants
 * {@code [in, out]}: a row-major view cannot express the transpose, so the matrix is copied once into a direct
 * buffer (for Llama Scope 8x: 32768 x 4096 bf16 = 268 MB per matrix, about a second). Blocked to stay in cache.
 */
public final class TensorTranspose {

	private static final int BLOCK = 64;

	private TensorTranspose() {
	}

	public static TensorView transpose(TensorView source, String name) {
		if(source.shape().length != 2) {
			throw new IllegalArgumentException("tensor " + source.name() + " is not 2-D");
		}
		int rows = Math.toIntExact(source.shape()[0]);
		int cols = Math.toIntExact(source.shape()[1]);
		int width = source.bytesPerElement();
		long bytes = (long) rows * cols * width;
		if(bytes > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("tensor " + source.name() + " is too large to transpose in one buffer");
		}
		ByteBuffer in = source.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
		ByteBuffer out = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
		for(int r0 = 0; r0 < rows; r0 += BLOCK) {
			int r1 = Math.min(rows, r0 + BLOCK);
			for(int c0 = 0; c0 < cols; c0 += BLOCK) {
				int c1 = Math.min(cols, c0 + BLOCK);
				for(int r = r0; r < r1; r++) {
					for(int c = c0; c < c1; c++) {
						int from = (r * cols + c) * width;
						int to = (c * rows + r) * width;
						if(width == 4) {
							out.putInt(to, in.getInt(from));
						} else {
							out.putShort(to, in.getShort(from));
						}
					}
				}
			}
		}
		return new TensorView(name, source.dtype(), new long[] {cols, rows}, out);
	}
}

package org.refusalscope.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.io.safetensors.SafetensorsWriter;

public class SaeSupport_Test {

	@TempDir
	Path temp;

	@Test
	void transposeKeepsDtypeAndMovesEveryElement() throws IOException {
		int rows = 70, cols = 131; // not multiples of the block size
		float[] values = new float[rows * cols];
		for(int i = 0; i < values.length; i++) {
			values[i] = i % 97 - 48;
		}
		Path file = temp.resolve("m.safetensors");
		new SafetensorsWriter().add("f32", new long[] {rows, cols}, values).add("bf16", new long[] {rows, cols}, values, "BF16").write(file);
		var st = org.refusalscope.io.safetensors.SafetensorsFile.open(file);
		for(String name : new String[] {"f32", "bf16"}) {
			TensorView t = TensorTranspose.transpose(st.tensor(name), "t");
			assertEquals(st.tensor(name).dtype(), t.dtype());
			assertArrayEquals(new long[] {cols, rows}, t.shape());
			for(int r = 0; r < rows; r++) {
				for(int c = 0; c < cols; c++) {
					assertEquals(values[r * cols + c], t.getFloat((long) c * rows + r));
				}
			}
		}
		st.close();
	}

	@Test
	void finiteCheckScansSmallTensorsFullyAndSamplesLargeOnes() throws IOException {
		float[] small = new float[100];
		small[63] = Float.POSITIVE_INFINITY;
		IOException e = assertThrows(IOException.class, () -> SaeChecks.checkFinite("f", TensorView.ofFloats("b", new long[] {100}, small)));
		assertTrue(e.getMessage().contains("tensor b") && e.getMessage().contains("index 63"), e.getMessage());
		int n = (int) SaeChecks.FULL_SCAN_LIMIT * 2;
		float[] large = new float[n];
		assertFalse(SaeChecks.checkFinite("f", TensorView.ofFloats("w", new long[] {n / 1024, 1024}, large)), "sampled");
		large[n - 5] = Float.NaN; // in the last row, which is always checked
		assertThrows(IOException.class, () -> SaeChecks.checkFinite("f", TensorView.ofFloats("w", new long[] {n / 1024, 1024}, large)));
	}

	/** A provider that recognises folders by name, to test the choice without real files. */
	private record NamedProvider(String id, String suffix) implements SaeProvider {
		public String name() { return id; }
		public String description() { return id; }
		public boolean canLoad(Path location) { return location.getFileName().toString().endsWith(suffix); }
		public List<SparseAutoencoder> load(Path location, SaeLoadOptions options) { return List.of(); }
	}

	@Test
	void providerChosenByWhatIsOnDisk() throws IOException {
		SaeProvider a = new NamedProvider("a", ".npz"), b = new NamedProvider("b", "sae");
		Path npz = java.nio.file.Files.createFile(temp.resolve("params.npz"));
		Path folder = java.nio.file.Files.createDirectory(temp.resolve("my-sae"));
		assertSame(a, SaeProviders.choose(List.of(b, a), npz));
		assertSame(b, SaeProviders.choose(List.of(a, b), folder));
		IOException none = assertThrows(IOException.class, () -> SaeProviders.choose(List.of(a, b), temp));
		assertTrue(none.getMessage().contains("[a, b]"), none.getMessage());
		assertThrows(IOException.class, () -> SaeProviders.choose(List.of(a), temp.resolve("absent")));
	}
}

package org.refusalscope.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.TensorView;

/** Reads arrays written by numpy itself (testData, see make_fixtures.py) and by hand-built headers. */
public class NpyNpz_Test {

	@TempDir
	Path temp;

	private static Path testData(String name) {
		return Path.of(System.getProperty("refusalscope.repo"), "bundles", "org.refusalscope.io.tests", "testData", name);
	}

	/** The values make_fixtures.py writes: (arange(12).reshape(3,4) - 5.5) / 4. */
	private static float[] expectedA() {
		float[] a = new float[12];
		for(int i = 0; i < 12; i++) {
			a[i] = (i - 5.5f) / 4f;
		}
		return a;
	}

	@Test
	void readsNumpySavezStoredAsMappedViews() throws IOException {
		try(NpzFile npz = NpzFile.open(testData("numpy_stored.npz"))) {
			assertEquals(java.util.Set.of("W_enc", "b_enc", "half"), npz.names());
			assertTrue(npz.entry("W_enc").stored());
			assertArrayEquals(new long[] {3, 4}, npz.shape("W_enc"));
			TensorView a = npz.tensor("W_enc");
			assertEquals("F32", a.dtype());
			assertTrue(a.bytes() instanceof MappedByteBuffer, "stored entries are memory-mapped");
			assertArrayEquals(expectedA(), a.toFloatArray());
			TensorView b = npz.tensor("b_enc");
			assertEquals("F32", b.dtype(), "float64 converted to float32");
			assertArrayEquals(new float[] {1.5f, -2.25f, 1e-3f}, b.toFloatArray());
			TensorView half = npz.tensor("half");
			assertEquals("F16", half.dtype());
			assertArrayEquals(new float[] {0.5f, -1f, 2f, 65504f}, half.toFloatArray());
		}
	}

	@Test
	void readsNumpySavezCompressedByInflating() throws IOException {
		try(NpzFile npz = NpzFile.open(testData("numpy_deflated.npz"))) {
			assertFalse(npz.entry("W_enc").stored());
			assertArrayEquals(expectedA(), npz.tensor("W_enc").toFloatArray());
			assertArrayEquals(new float[] {1.5f, -2.25f, 1e-3f}, npz.tensor("b_enc").toFloatArray());
			assertArrayEquals(new long[] {2, 2}, npz.shape("half"));
		}
	}

	@Test
	void rejectsFortranOrderAndBigEndianNamingTheFile() {
		IOException fortran = assertThrows(IOException.class, () -> NpyFile.read(testData("numpy_fortran.npy"), "a"));
		assertTrue(fortran.getMessage().contains("numpy_fortran.npy") && fortran.getMessage().contains("Fortran"),
				fortran.getMessage());
		IOException big = assertThrows(IOException.class, () -> NpyFile.read(testData("numpy_bigendian.npy"), "a"));
		assertTrue(big.getMessage().contains(">f4"), big.getMessage());
	}

	@Test
	void readsScalarAndMissingArrayIsNamed() throws IOException {
		TensorView scalar = NpyFile.read(testData("numpy_scalar.npy"), "s");
		assertEquals(0, scalar.shape().length);
		assertEquals(3.25f, scalar.getFloat(0));
		try(NpzFile npz = NpzFile.open(testData("numpy_stored.npz"))) {
			IOException missing = assertThrows(IOException.class, () -> npz.tensor("threshold"));
			assertTrue(missing.getMessage().contains("numpy_stored.npz") && missing.getMessage().contains("threshold"));
		}
	}

	/** Builds a .npy with a version 2 or 3 header by hand (4-byte header length). */
	private static byte[] npyWithVersion(int major, String dict, float[] values) {
		int total = (12 + dict.length() + 1 + 63) / 64 * 64;
		ByteBuffer out = ByteBuffer.allocate(total + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0}).putInt(total - 12);
		out.put(dict.getBytes(StandardCharsets.UTF_8));
		while(out.position() < total - 1) {
			out.put((byte) ' ');
		}
		out.put((byte) '\n');
		for(float value : values) {
			out.putFloat(value);
		}
		return out.array();
	}

	@Test
	void readsVersion2And3HeadersInsideNpzAndRoundTripsTheWriter() throws IOException {
		float[] values = {1f, 2f, 3f, 4f, 5f, 6f};
		Path file = temp.resolve("versions.npz");
		new NpzWriter().addRaw("v2", npyWithVersion(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", values))
				.addRaw("v3", npyWithVersion(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", values))
				.add("w", new long[] {3, 2}, values).add("d", new long[] {2}, new double[] {0.25, -8.0})
				.write(file, false);
		try(NpzFile npz = NpzFile.open(file)) {
			assertArrayEquals(new long[] {2, 3}, npz.tensor("v2").shape());
			assertArrayEquals(values, npz.tensor("v2").toFloatArray());
			assertArrayEquals(new long[] {6}, npz.shape("v3"));
			assertArrayEquals(values, npz.tensor("v3").toFloatArray());
			assertArrayEquals(values, npz.tensor("w").toFloatArray());
			assertArrayEquals(new float[] {0.25f, -8f}, npz.tensor("d").toFloatArray());
		}
	}

	@Test
	void truncatedDataIsReported() throws IOException {
		Path file = temp.resolve("short.npy");
		NpzWriter.writeNpy(file, new long[] {4}, new float[] {1, 2, 3, 4});
		byte[] bytes = Files.readAllBytes(file);
		Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
		IOException e = assertThrows(IOException.class, () -> NpyFile.read(file, "x"));
		assertTrue(e.getMessage().contains("truncated"), e.getMessage());
	}
}

/* test_media.c: what a file is (content and name), whether it fits an
 * upload's mediatype, the answer's value and names safe on disk. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/media.h"

static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0};
static const unsigned char wav[] = "RIFF\x24\0\0\0WAVEfmt ";
static const unsigned char mp4[] = "\0\0\0\x20" "ftypisom\0\0\2\0";
static const unsigned char m4a[] = "\0\0\0\x20" "ftypM4A \0\0\2\0";
static const unsigned char text[] = "hello, world\n";

static void test_content_is_sniffed_by_magic_bytes(void **state)
{
    (void)state;
    assert_string_equal(media_sniff(jpeg, sizeof jpeg), "image/jpeg");
    assert_string_equal(media_sniff(png, sizeof png), "image/png");
    assert_string_equal(media_sniff(wav, sizeof wav - 1), "audio/wav");
    assert_string_equal(media_sniff(mp4, sizeof mp4 - 1), "video/mp4");
    assert_string_equal(media_sniff(m4a, sizeof m4a - 1), "audio/mp4");
    assert_null(media_sniff(text, sizeof text - 1));
    assert_null(media_sniff(jpeg, 2)); /* too short to tell */
    /* an MP4 named .m4a is sound */
    assert_string_equal(media_type(mp4, sizeof mp4 - 1, "talk.M4A"), "audio/mp4");
    assert_string_equal(media_type(text, sizeof text - 1, "notes.pdf"), "application/pdf");
    assert_null(media_type(text, sizeof text - 1, "notes.txt"));
}

static void test_fit_checks_content_and_extension(void **state)
{
    (void)state;
    assert_int_equal(media_fits("image/*", jpeg, sizeof jpeg, "school.jpg"), MEDIA_FITS);
    assert_int_equal(media_fits("image/*", jpeg, sizeof jpeg, "school"), MEDIA_FITS);
    assert_int_equal(media_fits("image/*", text, sizeof text - 1, "school.jpg"),
                     MEDIA_UNKNOWN_CONTENT);
    assert_int_equal(media_fits("image/*", wav, sizeof wav - 1, "a.wav"), MEDIA_WRONG_CONTENT);
    assert_int_equal(media_fits("image/*", jpeg, sizeof jpeg, "song.mp3"), MEDIA_NAME_DIFFERS);
    assert_int_equal(media_fits("audio/*", wav, sizeof wav - 1, "a.wav"), MEDIA_FITS);
    assert_int_equal(media_fits("audio/*", mp4, sizeof mp4 - 1, "a.m4a"), MEDIA_FITS);
    assert_int_equal(media_fits("video/*", mp4, sizeof mp4 - 1, "a.mp4"), MEDIA_FITS);
    assert_int_equal(media_fits("video/*", jpeg, sizeof jpeg, "a.mp4"), MEDIA_WRONG_CONTENT);
    /* any file: a text, a picture, whatever its name */
    assert_int_equal(media_fits(NULL, text, sizeof text - 1, "x.jpg"), MEDIA_FITS);
    assert_int_equal(media_fits("application/pdf", text, sizeof text - 1, "x"), MEDIA_FITS);
}

static void test_value_names_hash_and_file(void **state)
{
    (void)state;
    char hex[65], back[65];
    memset(hex, 'a', 64);
    hex[64] = '\0';
    char *v = media_value(hex, "/home/maria/Pictures/школа 1.jpg");
    const char *name;
    assert_true(media_value_parse(v, back, &name));
    assert_string_equal(back, hex);
    assert_string_equal(name, "школа 1.jpg");
    char *label = media_value_label(v);
    assert_string_equal(label, "file школа 1.jpg (aaaaaaaaaaaa)");
    free(label);
    assert_null(media_value_label("just text"));
    free(v);
    assert_false(media_value_parse("photo.jpg", back, &name));
    assert_false(media_value_parse("", back, &name));
    char bad[80];
    memset(bad, 'A', 64); /* upper case is not ours */
    strcpy(bad + 64, " x");
    assert_false(media_value_parse(bad, back, &name));
}

static void test_safe_name_never_leaves_the_directory(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"../../evil", "evil"},
        {"..", "file"},
        {".bashrc", "bashrc"},
        {"a\x1b[2Jb.jpg", "a_[2Jb.jpg"},
        {"con:x*?.png", "con_x__.png"},
        {"-rf", "rf"},
        {"", "file"},
        {"Žiak č. 3.jpg", "Žiak č. 3.jpg"},
        {"dir\\..\\x", "dir_.._x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = media_safe_name(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
    char longname[300];
    memset(longname, 'x', sizeof longname);
    strcpy(longname + 290, ".jpeg");
    char *s = media_safe_name(longname);
    assert_true(strlen(s) <= 100);
    assert_string_equal(s + strlen(s) - 5, ".jpeg");
    free(s);
}

static void test_size_is_readable(void **state)
{
    (void)state;
    char *a = media_size_text(512), *b = media_size_text(2560), *c = media_size_text(3 * 1048576);
    assert_string_equal(a, "512 bytes");
    assert_string_equal(b, "2.5 KiB");
    assert_string_equal(c, "3.0 MiB");
    free(a), free(b), free(c);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_is_sniffed_by_magic_bytes),
        cmocka_unit_test(test_fit_checks_content_and_extension),
        cmocka_unit_test(test_value_names_hash_and_file),
        cmocka_unit_test(test_safe_name_never_leaves_the_directory),
        cmocka_unit_test(test_size_is_readable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

<?php
// Reads the CSV file named by the first argument as Moodle's grade import does (lib/csvlib.class.php,
// csv_import_reader: load_csv_content, then next()): PHP's fgetcsv with its default escape character
// "\", the check that every row has as many fields as the header, and the copy that Moodle stores with
// fputcsv and reads back with fgetcsv. Prints the rows as JSON; or Moodle's error on stderr, exit code 1.

setlocale(LC_CTYPE, 'C.UTF-8');  // Moodle runs with a UTF-8 locale
$content = file_get_contents($argv[1]);
$content = preg_replace('/^\xEF\xBB\xBF/', '', $content);
$content = preg_replace('!\r\n?!', "\n", $content);
$content = trim($content);

$file = fopen('php://temp', 'w+b');
fwrite($file, $content);
fseek($file, 0);
$rows = [];
while ($row = fgetcsv($file, 0, ',', '"')) {
    if (count($row) > 1 || $row[0] !== null) {
        $rows[] = $row;
    }
}
foreach ($rows as $row) {
    if (count($row) !== count($rows[0])) {
        fwrite(STDERR, "csvweirdcolumns: a row has " . count($row) . " fields, the header " . count($rows[0]) . "\n");
        exit(1);
    }
}

$stored = fopen('php://temp', 'w+');
foreach ($rows as $row) {
    fputcsv($stored, $row, ',', '"');
}
fseek($stored, 0);
$read = [];
while ($row = fgetcsv($stored)) {
    $read[] = $row;
}
echo json_encode($read);

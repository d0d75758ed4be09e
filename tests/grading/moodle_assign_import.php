<?php
// Reads what the grader sends back to a Moodle assignment as Moodle does:
// - argv[1], the filled-in grading worksheet, as "Upload grading worksheet" does
//   (mod/assign/feedback/offline/importgradeslib.php through lib/csvlib.class.php): PHP's fgetcsv with
//   its default escape character, every row as long as the header, the columns found by their English
//   names, the learner found by the number after "Participant ";
// - argv[2...], the member names of the feedback zip, as "Upload multiple feedback files in a zip" does
//   (mod/assign/feedback/file/importziplib.php, is_valid_filename_for_import): hidden files skipped,
//   each path part split at its first four "_", the second part the participant number, the third and
//   fourth the plugin, the rest the file name.
// Prints {"worksheet": {number: {"grade", "feedback"}}, "files": {member: [number, plugin, file name]}}
// as JSON; or Moodle's error on stderr, exit code 1.

setlocale(LC_CTYPE, 'C.UTF-8');
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
$columns = array_flip($rows[0]);
foreach (['Identifier', 'Grade', 'Last modified (grade)'] as $needed) {
    if (!isset($columns[$needed])) {
        fwrite(STDERR, "invalidimporter: no column $needed\n");
        exit(1);
    }
}
$worksheet = [];
foreach (array_slice($rows, 1) as $record) {
    $number = substr($record[$columns['Identifier']], strlen('Participant '));
    $grade = $record[$columns['Grade']];
    if ($grade !== '' && !is_numeric($grade)) {
        fwrite(STDERR, "a grade that is not a number: $grade\n");
        exit(1);
    }
    $feedback = isset($columns['Feedback comments']) ? $record[$columns['Feedback comments']] : null;
    $worksheet[$number] = ['grade' => $grade, 'feedback' => $feedback];
}

$plugins = ['assignfeedback' => ['comments', 'file', 'offline'], 'assignsubmission' => ['file', 'onlinetext']];
$files = [];
foreach (array_slice($argv, 2) as $member) {
    $base = basename($member);
    if (strpos($base, '.') === 0 || strpos($base, '~') === 0) {
        continue;
    }
    $parts = explode('/', $member);
    while (!empty($parts)) {
        $info = explode('_', array_shift($parts), 5);
        if (count($info) < 4 || !is_numeric($info[1])) {
            continue;
        }
        if (!in_array($info[3], $plugins[$info[2]] ?? [], true)) {
            continue;
        }
        array_unshift($parts, $info[4] ?? '');
        $files[$member] = [$info[1] + 0, $info[2] . '_' . $info[3], implode('/', $parts)];
        break;
    }
}
echo json_encode(['worksheet' => $worksheet, 'files' => $files]);

~Version ---------------------------------------------------
VERS.   2.0 : CWLS log ASCII Standard -VERSION 2.0
WRAP.   YES : Multiple lines per depth step
DLM . SPACE : Column Data Section Delimiter
~Well ------------------------------------------------------
STRT.FT 3001.00000 : START DEPTH
STOP.FT 3000.00000 : STOP DEPTH
STEP.FT   -0.25000 : STEP
NULL.     -9999.25 : NULL VALUE
COMP. ACME LOGGING : COMPANY
WELL.      NORTH-7 : WELL
FLD .        TROLL : FIELD
LOC .              : LOCATION
PROV.              : PROVINCE
CNTY.              : COUNTY
STAT.              : STATE
CTRY.              : COUNTRY
SRVC.              : SERVICE COMPANY
DATE.              : DATE
UWI .      NO-1234 : UNIQUE WELL ID
API .              : API NUMBER
~Curve Information -----------------------------------------
DEPT   .FT     : DEPTH
IMG[0] .ohm.m  : image sample 0
IMG[1] .ohm.m  : image sample 1
IMG[2] .ohm.m  : image sample 2
IMG[3] .ohm.m  : image sample 3
IMG[4] .ohm.m  : image sample 4
IMG[5] .ohm.m  : image sample 5
IMG[6] .ohm.m  : image sample 6
IMG[7] .ohm.m  : image sample 7
IMG[8] .ohm.m  : image sample 8
IMG[9] .ohm.m  : image sample 9
IMG[10].ohm.m  : image sample 10
IMG[11].ohm.m  : image sample 11
GR     .gAPI   : gamma ray
~Params ----------------------------------------------------
~Other -----------------------------------------------------
~ASCII -----------------------------------------------------
       3001     53.136      8.292   -9999.25   -9999.25     86.468      81.86
57.711     78.803     97.558     36.657     60.903     76.293     119.59
    3000.75     20.798     36.795   -9999.25   -9999.25     63.302      9.908
88.277     19.092     47.821     15.682   -9999.25     67.292      28.26
     3000.5     22.143     16.388     97.337   -9999.25     82.193     25.703
86.084     62.527     10.752     24.651     51.392     17.641      21.58
    3000.25     17.273      87.37     94.491   -9999.25     54.863     52.357
-9999.25     86.338     44.226      21.58     42.496     73.826      10.53
       3000     37.096     43.603      3.943   -9999.25     41.186     27.189
35.197     46.073     22.033     54.866      7.105     15.079     110.17
